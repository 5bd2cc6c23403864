"""Pages of reviewing: the officers' page of a call's reviews, a reviewer's list of
assignments, one application under review with its rubric form, the conflict declaration
and the documents' downloads."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from app.calls.access import call_run_by_viewer, reviews
from app.calls.files import download_name, file_response, load_file
from app.calls.models import Application, Call
from app.calls.rules import score_problems
from app.core.auth import can
from app.core.boundary import ran_service, run_service
from app.core.forms import EmptyForm, read_items
from app.core.time import now
from app.core.urls import page_number, safe_local_target
from app.extensions import db
from app.reviews import bp
from app.reviews.forms import AssignForm, ConflictForm, ReviewerForm, ScoreForm
from app.reviews.pages import PER_PAGE, call_page_context, review_context
from app.reviews.queries import my_reviews
from app.reviews.services import (
    add_reviewer,
    assign_reviewer,
    declare_conflict,
    remove_reviewer,
    score_application,
    spread_reviews,
    unassign_reviewer,
)

# --- officers -------------------------------------------------------------------------------


def _back(call: Call) -> WerkzeugResponse:
    return redirect(url_for("reviews.call_page", call_id=call.id))


@bp.route("/call/<int:call_id>")
@login_required
def call_page(call_id: int) -> str:
    """Reviewers and their progress, the applications and theirs, a page at a time."""
    call = call_run_by_viewer(call_id)
    return render_template("reviews/call.html", **call_page_context(
        call, page_number(PER_PAGE), request.args.get("short") == "1"))


@bp.route("/call/<int:call_id>/reviewers", methods=["POST"])
@login_required
def add_call_reviewer(call_id: int) -> str | WerkzeugResponse:
    call = call_run_by_viewer(call_id)
    form = ReviewerForm()
    if form.validate_on_submit() and (reviewer := run_service(form, lambda: add_reviewer(
            current_user, call, form.email.data or "", now()))) is not None:
        flash(_("%(name)s reviews this call now.", name=reviewer.name), "success")
        return _back(call)
    return render_template("reviews/call.html", **call_page_context(
        call, 1, False, reviewer_form=form))


@bp.route("/call/<int:call_id>/reviewers/<int:user_id>/remove", methods=["POST"])
@login_required
def remove_call_reviewer(call_id: int, user_id: int) -> WerkzeugResponse:
    call = call_run_by_viewer(call_id)
    if EmptyForm().validate_on_submit() and (held := run_service(None, lambda: remove_reviewer(
            current_user, call, user_id, now()))) is not None:
        flash(ngettext("The reviewer is off the call, and off %(num)d application.",
                       "The reviewer is off the call, and off %(num)d applications.", held),
              "success")
    return _back(call)


@bp.route("/call/<int:call_id>/assign", methods=["POST"])
@login_required
def assign(call_id: int) -> str | WerkzeugResponse:
    """Assign one application to one reviewer by hand."""
    call = call_run_by_viewer(call_id)
    form = AssignForm()
    if form.validate_on_submit() and run_service(form, lambda: assign_reviewer(
            current_user, call, form.application.data or 0, form.reviewer.data,
            now())) is not None:
        flash(_("Application %(number)s is assigned.", number=form.application.data),
              "success")
        return redirect(url_for("reviews.call_page", call_id=call.id, page=form.page.data or 1,
                                short=form.short.data or None))
    return render_template("reviews/call.html", **call_page_context(
        call, form.page.data or 1, form.short.data == "1", assign_form=form))


@bp.route("/call/<int:call_id>/assignments/<int:assignment_id>/remove", methods=["POST"])
@login_required
def unassign(call_id: int, assignment_id: int) -> WerkzeugResponse:
    call = call_run_by_viewer(call_id)
    if EmptyForm().validate_on_submit() and ran_service(None, lambda: unassign_reviewer(
            current_user, call, assignment_id, now())):
        flash(_("The reviewer is off the application."), "success")
    return redirect(safe_local_target(request.form.get("back"),
                                      url_for("reviews.call_page", call_id=call.id)))


@bp.route("/call/<int:call_id>/spread", methods=["POST"])
@login_required
def spread(call_id: int) -> WerkzeugResponse:
    """Spread the submitted applications evenly over the reviewers; tops up a spread."""
    call = call_run_by_viewer(call_id)
    if EmptyForm().validate_on_submit() and (done := run_service(None, lambda: spread_reviews(
            current_user, call, now()))) is not None:
        flash(ngettext("%(num)d assignment added.", "%(num)d assignments added.",
                       len(done.pairs)), "success")
        if done.short:
            flash(ngettext("%(num)d application is still short of reviewers: no other "
                           "reviewer is free for it.",
                           "%(num)d applications are still short of reviewers: no other "
                           "reviewer is free for them.", len(done.short)), "error")
    return _back(call)


# --- reviewers ------------------------------------------------------------------------------


@bp.route("/")
@login_required
def index() -> str:
    """My assignments across calls, grouped by call."""
    return render_template("reviews/index.html", calls=my_reviews(current_user.id))


def _under_review(application_id: int) -> tuple[Application, Call, bool]:
    """The application, its call, and whether the viewer is one of its officers; 403 for
    anyone who is neither an officer nor assigned to it without a conflict."""
    application = db.get_or_404(Application, application_id)
    if application.state in ("draft", "withdrawn"):
        abort(404)
    call = db.get_or_404(Call, application.call_id)
    officer = can(current_user, "call.run", call)
    if not officer and not reviews(current_user, application):
        abort(403)
    return application, call, officer


@bp.route("/<int:application_id>", methods=["GET", "POST"])
@login_required
def review(application_id: int) -> str | WerkzeugResponse:
    """The application as its reviewer may see it, and their rubric form."""
    application, call, officer = _under_review(application_id)
    form = ScoreForm()
    read = read_items(request.form, "points-", [c["key"] for c in call.rubric],
                      lambda _key, values: values[0].strip() if values else None)
    problems = score_problems(call.rubric, read.values) if request.method == "POST" else []
    if form.validate_on_submit() and not problems and run_service(form, lambda: (
            score_application(current_user, application, call, read.values,
                              form.comment.data or "", now()))) is not None:
        flash(_("Your score is saved."), "success")
        return redirect(url_for("reviews.review", application_id=application.id))
    return render_template("reviews/review.html", **review_context(
        application, call, current_user, officer, form, problems,
        read.values if request.method == "POST" else None))


@bp.route("/<int:application_id>/conflict", methods=["GET", "POST"])
@login_required
def conflict(application_id: int) -> str | WerkzeugResponse:
    """Declare a conflict of interest, after a confirmation step with the reason."""
    application, call, _officer = _under_review(application_id)
    if not reviews(current_user, application):
        abort(403)
    form = ConflictForm()
    if form.validate_on_submit() and ran_service(form, lambda: declare_conflict(
            current_user, application, call, form.reason.data or "", now())):
        flash(_("Your conflict of interest is on record; the application goes to another "
                "reviewer."), "success")
        return redirect(url_for("reviews.index"))
    return render_template("reviews/conflict.html", application=application, call=call,
                           form=form, blind=call.blind_review)


@bp.route("/<int:application_id>/files/<file_key>")
@login_required
def download(application_id: int, file_key: str) -> WerkzeugResponse:
    """A document of the application: to its reviewers without a conflict and officers."""
    application, call, officer = _under_review(application_id)
    file = load_file(application.id, file_key)
    if file is None:
        abort(404)
    response = file_response(file)
    if call.blind_review and not officer:  # the file's own name may carry the applicant's
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{download_name(f"applicant-{application.id}-{file_key}")}"')
    return response
