"""Enrolment actions, module pages, dashboard, roster and course staff."""

from __future__ import annotations

from typing import Any

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from app.auth.models import User
from app.auth.services import find_user_by_email
from app.centres.catalogue import catalogue_centre
from app.centres.scope import may_staff_centre, staff_centre_ids
from app.core.auth import authorize_or_403, can
from app.core.boundary import ran_service, run_service
from app.core.countries import country_choices, country_name
from app.core.db import autocommit_reads, begin_write, end_write
from app.core.errors import DomainError, found_or_404
from app.core.forms import BadItem, EmptyForm, Items, read_items
from app.core.spreadsheet import csv_response
from app.core.time import now
from app.extensions import db
from app.learning import bp
from app.learning.exports import roster_csv
from app.learning.forms import DecisionForm, StaffForm
from app.learning.models import CourseStaff, Enrolment
from app.learning.outline import ModuleInfo, lesson
from app.learning.panels import dashboard_panels, module_head_panels, module_panels
from app.learning.queries import CourseView, course_titles, course_view, dashboard, roster
from app.learning.rules import State, is_done, requirements_text
from app.learning.services import (
    assign_staff,
    complete_module,
    decide_enrolment,
    decide_enrolments,
    enrol,
    record_view,
    remove_staff,
    withdraw,
)
from app.learning.versions import other_versions, shown_version


def _view_or_404(course_slug: str) -> CourseView:
    return found_or_404(course_view(course_slug, current_user))


def _to_course(view: CourseView) -> WerkzeugResponse:
    return redirect(url_for("catalog.course", course_slug=view.course.slug))


@bp.route("/<course_slug>/enrol", methods=["POST"])
@login_required
def enrol_in(course_slug: str) -> WerkzeugResponse:
    view = _view_or_404(course_slug)
    if EmptyForm().validate_on_submit():
        # Through a centre's catalogue: the enrolment is that centre's.
        try:
            centre = catalogue_centre(request.form.get("centre", ""), view.course.id)
        except DomainError as error:
            flash(str(error), "error")
            return _to_course(view)
        enrolment = enrol(current_user, view.course_row(), now(),
                          centre_id=centre.id if centre else None)
        flash(_("You are enrolled. Start with the first module.") if enrolment.status == "active"
              else _("Your request is sent. An instructor of the course will decide on it."),
              "success")
        if centre is not None:  # back to the course in the centre's catalogue
            return redirect(url_for("catalog.course", course_slug=view.course.slug,
                                    centre=centre.code))
    return _to_course(view)


@bp.route("/<course_slug>/withdraw", methods=["POST"])
@login_required
def withdraw_from(course_slug: str) -> WerkzeugResponse:
    view = _view_or_404(course_slug)
    if EmptyForm().validate_on_submit() and view.enrolment is not None:
        withdraw(current_user, view.enrolment.row(), now())
        flash(_("You have left the course. Your progress and records are kept."), "info")
    return _to_course(view)


def _note_view(view: CourseView, current: ModuleInfo, state: State) -> State:
    """Record a first view (and the module last opened): the module's state as the page
    shows it then."""
    enrolment = view.enrolment
    if enrolment is None or (state != State.NOT_STARTED
                             and enrolment.last_module_id == current.id):
        return state
    begin_write()
    record_view(current_user, enrolment.row(), view.module_row(current), now())
    # Committed here, not by the request's boundary: the page renders without holding
    # SQLite's write lock (the module page is the hot one).
    end_write()
    return State.IN_PROGRESS if state == State.NOT_STARTED else state


def _lock_reason(view: CourseView, slug: str) -> str:
    if view.missing_courses:
        titles = course_titles(view.missing_courses)
        return _("Complete these courses first: %(courses)s.", courses=", ".join(
            titles.get(slug, slug) for slug in view.missing_courses))
    module = next(f for f in view.facts if f.slug == slug)
    titles = {f.slug: f.title for f in view.facts}
    waiting = [titles.get(p, p) for p in module.prerequisites
               if not is_done(view.progress.states.get(p, State.LOCKED))]
    return _("Finish these modules first: %(modules)s.", modules=", ".join(waiting))


# Modules live under their own segment, so that no module id (a file named `02-roster.md`)
# can shadow a fixed page of the course such as its roster or staff. Their addresses of
# before are redirected (see init_app).
@bp.route("/<course_slug>/modules/<module_slug>")
@autocommit_reads
@login_required
def module(course_slug: str, module_slug: str) -> str | WerkzeugResponse:
    view = _view_or_404(course_slug)
    current = _module_or_404(view, module_slug)
    previewing = can(current_user, "course.preview", view)
    if not view.enrolled and not previewing:
        flash(_("Enrol in the course to open its modules."), "info")
        return _to_course(view)
    state = view.progress.states[current.slug]
    locked = state == State.LOCKED and not previewing
    view, current = _in_version(view, current)
    page = _lesson_page(view, current, locked=locked, previewing=previewing)
    if view.enrolled and not locked:
        state = _note_view(view, current, state)
    return render_template("learning/module.html", state=state, **page)


def _module_or_404(view: CourseView, module_slug: str) -> ModuleInfo:
    current = view.module(module_slug)
    if current is None:
        abort(404)
    return current


def _in_version(view: CourseView, current: ModuleInfo) -> tuple[CourseView, ModuleInfo]:
    """The view and module in the language version the reader is shown."""
    shown = shown_version(view.course, current.languages)
    translated = view.in_language(shown)
    return translated, translated.module(current.slug) or current


def _lesson_page(view: CourseView, current: ModuleInfo, *, locked: bool,
                 previewing: bool) -> dict[str, Any]:
    """What the module page shows besides its state: the lesson with its panels unless it
    is locked (then why), facilitator notes for staff, the neighbours and requirements,
    and links to the module's other language versions."""
    course = view.course
    content = None if locked else lesson(
        course, current.id, None if course.language == course.own_language else course.language)
    previous, following = view.neighbours(current.slug)
    return {"view": view, "module": current, "locked": locked,
            "lock_reason": _lock_reason(view, current.slug) if locked else "",
            "content": content,
            "panels": module_panels(current, current_user.id) if content else {},
            "head_panels": module_head_panels(current, current_user.id, now()),
            "notes": content.facilitator_html if content and previewing else "",
            "previewing": previewing, "previous": previous, "following": following,
            "requirements": current.requirements,
            "requirements_text": requirements_text(current.requirements), "State": State,
            "versions": other_versions(current.languages, course.language, "learning.module",
                                       course_slug=course.slug, module_slug=current.slug)}


@bp.route("/<course_slug>/modules/<module_slug>/complete", methods=["POST"])
@login_required
def complete(course_slug: str, module_slug: str) -> WerkzeugResponse:
    view = _view_or_404(course_slug)
    current = _module_or_404(view, module_slug)
    if not view.enrolled:
        abort(403)
    if EmptyForm().validate_on_submit() and ran_service(None, lambda: complete_module(
            current_user, view.module_row(current), now(), view=view)):
        _shown, read = _in_version(view, current)  # named as the learner read it
        flash(_("“%(title)s” is complete.", title=read.title), "success")
        _previous, following = view.neighbours(current.slug)
        if following is not None:
            return redirect(url_for("learning.module", course_slug=course_slug,
                                    module_slug=following.slug))
    return redirect(url_for("learning.module", course_slug=course_slug,
                            module_slug=module_slug))


@bp.route("/dashboard")
@autocommit_reads
@login_required
def my_dashboard() -> str:
    return render_template("learning/dashboard.html", courses=dashboard(current_user),
                           panels=dashboard_panels(current_user, now()), State=State)


def _roster_view(course_slug: str) -> CourseView:
    view = _view_or_404(course_slug)
    authorize_or_403("course.manage", view)
    return view


@bp.route("/<course_slug>/roster")
@login_required
def course_roster(course_slug: str) -> str:
    view = _roster_view(course_slug)
    country = request.args.get("country", "")
    organisation = request.args.get("organisation", "")
    return _roster_page(view, country, organisation)


def _roster_page(view: CourseView, country: str = "", organisation: str = "",
                 read: Items[int, str] | None = None, form: EmptyForm | None = None) -> str:
    """The roster, and after a refused batch of decisions the requests as they were ticked,
    with each one's error next to it."""
    rows = roster(view, country=country, organisation=organisation,
                  centres=staff_centre_ids(current_user))
    learners = [row for row in rows if row.enrolment.status == "active"]
    requests = [row for row in rows if row.enrolment.status == "requested"]
    return render_template("learning/roster.html", view=view, learners=learners,
                           requests=requests, country=country,
                           organisation=organisation, countries=country_choices(),
                           country_name=country_name, decision_form=DecisionForm(),
                           State=State, item_errors=read.errors if read else {},
                           posted=request.form if read is not None else None,
                           batch_errors=form.form_errors if form else [])


@bp.route("/<course_slug>/roster.csv")
@login_required
def course_roster_csv(course_slug: str) -> Response:
    view = _roster_view(course_slug)
    rows = roster(view, country=request.args.get("country", ""),
                  organisation=request.args.get("organisation", ""),
                  centres=staff_centre_ids(current_user))
    return csv_response(roster_csv(view, rows), f"roster-{view.course.slug}.csv")


@bp.route("/<course_slug>/requests/<int:enrolment_id>", methods=["POST"])
@login_required
def decide(course_slug: str, enrolment_id: int) -> WerkzeugResponse:
    view = _roster_view(course_slug)
    enrolment = db.get_or_404(Enrolment, enrolment_id)
    if enrolment.course_id != view.course.id or not may_staff_centre(current_user,
                                                                      enrolment.centre_id):
        abort(404)
    form = DecisionForm()
    if form.validate_on_submit() and ran_service(None, lambda: decide_enrolment(
            current_user, enrolment, view.course_row(), accept=bool(form.accept.data),
            reason=form.reason.data or "", now=now())):
        flash(_("Request accepted.") if form.accept.data else _("Request declined."), "success")
    return redirect(url_for("learning.course_roster", course_slug=course_slug))


@bp.route("/<course_slug>/requests", methods=["POST"])
@login_required
def decide_many(course_slug: str) -> str | WerkzeugResponse:
    """Accept or decline the ticked requests to join, all at once or none."""
    view = _roster_view(course_slug)
    form, accept = EmptyForm(), request.form.get("decision") == "accept"
    if not form.validate_on_submit():
        return redirect(url_for("learning.course_roster", course_slug=course_slug))
    read = _reasons(accept)
    decided = run_service(form, lambda: decide_enrolments(
        current_user, view.course_row(), read.values, accept=accept, now=now())) \
        if read.ok else None
    if decided is None:
        return _roster_page(view, read=read, form=form)
    flash(ngettext("%(num)d request accepted.", "%(num)d requests accepted.", decided)
          if accept else
          ngettext("%(num)d request declined.", "%(num)d requests declined.", decided),
          "success")
    return redirect(url_for("learning.course_roster", course_slug=course_slug))


def _reasons(accept: bool) -> Items[int, str]:
    """The ticked requests with their reasons; declining one without a reason is its
    error, next to it."""
    ticked = [int(value) for value in request.form.getlist("request") if value.isdigit()]

    def parse(_id: int, values: list[str]) -> str:
        reason = (values[0] if values else "").strip()[:500]
        if not accept and not reason:
            raise BadItem(_("Say why this request is declined; the learner will see it."))
        return reason

    return read_items(request.form, "reason-", ticked, parse)


# One whole sentence per role on a course's staff, so that each language words it its way.
STAFF_ASSIGNED = {"instructor": _l("%(name)s is now instructor of this course."),
                  "assessor": _l("%(name)s is now assessor of this course.")}
STAFF_REMOVED = {"instructor": _l("%(name)s is no longer instructor of this course."),
                 "assessor": _l("%(name)s is no longer assessor of this course.")}


@bp.route("/<course_slug>/staff", methods=["GET", "POST"])
@login_required
def course_staff(course_slug: str) -> str | WerkzeugResponse:
    view = _view_or_404(course_slug)
    authorize_or_403("course.assign_staff", view)
    form = StaffForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data or "")
        if user is None:
            form.email.errors = [_("No account has this e-mail address.")]
        elif ran_service(form, lambda: assign_staff(current_user, view.course_row(), user,
                                                    form.role.data or "", now())):
            flash(STAFF_ASSIGNED.get(form.role.data or "", STAFF_ASSIGNED["assessor"])
                  % {"name": user.name}, "success")
            return redirect(url_for("learning.course_staff", course_slug=course_slug))
    staff = db.session.execute(
        select(CourseStaff, User).join(User, User.id == CourseStaff.user_id)
        .where(CourseStaff.course_id == view.course.id).order_by(User.name)).all()
    return render_template("learning/staff.html", view=view, form=form, staff=staff,
                           remove_form=EmptyForm())


@bp.route("/<course_slug>/staff/<int:user_id>/<role>/remove", methods=["POST"])
@login_required
def remove_course_staff(course_slug: str, user_id: int, role: str) -> WerkzeugResponse:
    view = _view_or_404(course_slug)
    authorize_or_403("course.assign_staff", view)
    user = db.get_or_404(User, user_id)
    if EmptyForm().validate_on_submit():
        remove_staff(current_user, view.course_row(), user, role, now())
        flash(STAFF_REMOVED.get(role, STAFF_REMOVED["assessor"]) % {"name": user.name}, "info")
    return redirect(url_for("learning.course_staff", course_slug=course_slug))
