"""The applying pages. Thin: load, authorize, call one service, answer (pages.py builds the
answers); the request's boundary commits."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.applications import bp, pages, queries, words
from app.applications.services import (
    NotSubmittable,
    StaleSave,
    application_of,
    file_fields,
    save_application,
    start_application,
    submit_application,
    upload_document,
    withdraw_application,
)
from app.calls.access import call_run_by_viewer, may_run_call
from app.calls.files import file_response, load_file
from app.calls.models import Application, Call
from app.calls.rules import call_phase, may_withdraw
from app.core.auth import authorize_or_403, can
from app.core.boundary import run_service
from app.core.errors import ValidationError
from app.core.forms import EmptyForm
from app.core.time import now
from app.core.urls import page_number
from app.extensions import db

Answer = str | Response | tuple[Any, int]


def applicant_session(view: Callable[..., Any]) -> Callable[..., Any]:
    """`login_required`, but a save or upload from a page whose session ended answers 401 in
    JSON for the script, which keeps what was typed, instead of a log-in page."""
    @wraps(view)
    def wrapped(**kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            if pages.wants_json():
                return jsonify(error=_("Your session has ended: log in again in a new tab, "
                                       "then come back to save."), session_ended=True), 401
            return login_required(view)(**kwargs)
        return view(**kwargs)
    return wrapped


def _call(call_id: int, *, published: bool = True) -> Call:
    """The call, or 404; a draft is no one's to apply to."""
    call = db.session.get(Call, call_id)
    if call is None or (published and call.status == "draft"):
        abort(404)
    return call


def _own(application_id: int) -> tuple[Application, Call]:
    """The applicant's own application: 404 for anyone else, who may not know it exists."""
    found = queries.application_and_call(application_id)
    if found is None or found[0].applicant_id != current_user.id:
        abort(404)
    return found


def _seen(application_id: int) -> tuple[Application, Call]:
    """An application its applicant, the call's officers or its reviewers may read."""
    found = queries.application_and_call(application_id)
    if found is None:
        abort(404)
    authorize_or_403("application.see", found)
    return found


@bp.get("/")
@login_required
def mine() -> str:
    rows = queries.my_applications(current_user.id)
    return render_template("applications/mine.html", rows=rows, words=words, moment=now(),
                           call_phase=call_phase)


@bp.route("/new/<int:call_id>", methods=["GET", "POST"])
def start(call_id: int) -> Answer:
    """The call's start page; its button (POST) opens the application, new or not."""
    call = _call(call_id)
    if request.method == "POST":
        return _create(call)
    existing = application_of(call, current_user) if current_user.is_authenticated else None
    if existing is not None:
        return redirect(url_for("applications.form", application_id=existing.id))
    return render_template("applications/start.html", call=call, form=EmptyForm(),
                           phase=call_phase(call.status, call.opens_at, call.closes_at, now()),
                           deadline=pages.deadline(call),
                           documents=list(file_fields(call).values()))


@login_required
def _create(call: Call) -> Response:
    application = run_service(None, lambda: start_application(current_user, call, now()))
    if application is None:
        return redirect(url_for("applications.start", call_id=call.id))
    return redirect(url_for("applications.form", application_id=application.id))


@bp.get("/<int:application_id>")
@login_required
def form(application_id: int) -> Answer:
    application, call = _own(application_id)
    return pages.application_page(application, call)


@bp.post("/<int:application_id>/save")
@applicant_session
def save(application_id: int) -> Answer:
    application, call = _own(application_id)
    sent, version, uploads = pages.read_sent(call)
    try:
        outcome = save_application(current_user, application, call, sent, version, now(),
                                   uploads)
    except StaleSave as error:
        return pages.stale_answer(application, call, error)
    except ValidationError as error:
        return pages.refused_answer(application, error.message)
    return pages.saved_answer(application, call, outcome)


@bp.route("/<int:application_id>/files/<file_key>", methods=["GET", "POST"])
@applicant_session
def document(application_id: int, file_key: str) -> Answer:
    """A document: downloaded by whoever may see the application, uploaded (POST) by its
    applicant."""
    if request.method == "POST":
        return _upload(application_id, file_key)
    application, _call_of = _seen(application_id)
    file = load_file(application.id, file_key)
    if file is None:
        abort(404)
    return file_response(file)


def _upload(application_id: int, file_key: str) -> Answer:
    application, call = _own(application_id)
    chosen = request.files.get("file") or request.files.get(f"q-{file_key}")
    if chosen is None or not chosen.filename:
        return pages.upload_refused(application, file_key, _("Choose a PDF file first."))
    try:
        upload_document(current_user, application, call, file_key, chosen.filename,
                        chosen.read(), now())
    except ValidationError as error:
        return pages.upload_refused(application, file_key, error.message)
    return pages.uploaded_answer(application, call, file_key)


@bp.post("/<int:application_id>/submit")
@applicant_session
def submit(application_id: int) -> Answer:
    application, call = _own(application_id)
    saved = pages.save_before_submit(application, call)
    if saved is not None:
        return saved
    try:
        submit_application(current_user, application, call, now())
    except NotSubmittable as error:
        return pages.not_submitted_answer(application, call, error)
    except ValidationError as error:
        return pages.refused_answer(application, error.message)
    flash(_("Your application is handed in. A confirmation is on its way to %(email)s.",
            email=current_user.email), "success")
    return redirect(url_for("applications.form", application_id=application.id))


@bp.route("/<int:application_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(application_id: int) -> Answer:
    """Asks first; the confirmation (POST) withdraws."""
    application, call = _own(application_id)
    back = redirect(url_for("applications.form", application_id=application.id))
    if request.method == "GET":
        if not may_withdraw(application.state):
            return back
        return render_template("applications/withdraw.html", application=application,
                               call=call, form=EmptyForm())
    if run_service(None, lambda: withdraw_application(current_user, application, call,
                                                      now())) is not None:
        flash(_("Your application is withdrawn."), "success")
    return back


@bp.get("/call/<int:call_id>")
@login_required
def call_list(call_id: int) -> str:
    call = call_run_by_viewer(call_id)
    filters = queries.ListFilters.read(request.args.get("state"), request.args.get("country"),
                                       request.args.get("eligible"))
    listing = queries.call_applications(call.id, filters, page_number(queries.PER_PAGE))
    return render_template("applications/call_list.html", call=call, listing=listing,
                           filters=filters, countries=queries.call_countries(call.id),
                           counts=queries.state_counts(call.id), words=words)


@bp.get("/<int:application_id>/view")
@login_required
def view(application_id: int) -> str:
    application, call = _seen(application_id)
    officer = may_run_call(current_user, call)
    return render_template(
        "applications/view.html", application=application, call=call, words=words,
        officer=officer, applicant=queries.applicant(application.applicant_id),
        blind=call.blind_review and not officer and application.applicant_id != current_user.id,
        personal=pages.personal_shown(application, call, can(
            current_user, "application.personal", (application, call))),
        files=queries.file_rows(application.id))
