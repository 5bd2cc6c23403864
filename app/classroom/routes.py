"""Pages of live sessions: schedule, change and cancel, list, register, attendance,
calendars."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import SelectChoice

from app.auth.models import User
from app.classroom import bp
from app.classroom.calendar import CalendarEntry, build_calendar
from app.classroom.changes import SessionChange, cancel_session, change_session
from app.classroom.forms import CancelSessionForm, ChangeForm, ScheduleForm
from app.classroom.models import ATTENDANCE_MARKS, CalendarFeed, ClassSession
from app.classroom.queries import (
    RosterLine,
    SessionRow,
    calendar_rows,
    course_sessions,
    roster,
    roster_centres,
    session_row,
    waitlist,
)
from app.classroom.rules import attendance_open, changeable, registration_open
from app.classroom.services import (
    Mark,
    Schedule,
    calendar_feed,
    cancel_registration,
    join_links_seen,
    record_attendance,
    register_for_session,
    schedule_session,
    staff_choices,
)
from app.content.labels import modality_name
from app.content.models import Course, Module
from app.content.queries import course_or_404
from app.core.auth import authorize_or_403, can
from app.core.boundary import run_service
from app.core.errors import found_or_404
from app.core.forms import BadItem, EmptyForm, Items, read_items
from app.core.i18n import is_language
from app.core.time import now
from app.core.zones import local_time, to_utc
from app.extensions import db, limiter

# Translators: attendance marks a facilitator gives a learner at a live session.
ATTENDANCE_LABELS = {"present": _l("Present"), "late": _l("Late"), "absent": _l("Absent"),
                     "excused": _l("Excused")}


def _row_or_404(session_id: int) -> SessionRow:
    return found_or_404(session_row(session_id, current_user.id))


@bp.route("/courses/<course_slug>/")
@login_required
def course_sessions_page(course_slug: str) -> str:
    course = course_or_404(course_slug)
    module_slug = request.args.get("module", "")
    module = db.session.scalar(select(Module).where(
        Module.course_id == course.id, Module.slug == module_slug)) if module_slug else None
    rows = course_sessions(course, current_user.id, module_id=module.id if module else None)
    moment = now()
    return render_template(
        "classroom/course_sessions.html", course=course, module=module,
        upcoming=[r for r in rows if r.session.ends_at >= moment],
        past=[r for r in rows if r.session.ends_at < moment],
        may_schedule=can(current_user, "session.schedule", course))


@bp.route("/courses/<course_slug>/schedule", methods=["GET", "POST"])
@login_required
def schedule(course_slug: str) -> str | WerkzeugResponse:
    course = course_or_404(course_slug)
    authorize_or_403("session.schedule", course)
    modules = [m for m in course.modules if m.session and m.archived_at is None]
    staff = staff_choices(course)
    form = _schedule_form(modules, staff)
    if form.validate_on_submit():
        plan = _plan(form, modules, staff)
        session = run_service(form, lambda: schedule_session(current_user, course, plan, now()))
        if session is not None:
            flash(_("The session is scheduled."), "success")
            return redirect(url_for("classroom.session_page", session_id=session.id))
    return render_template("classroom/schedule.html", course=course, form=form,
                           defaults={m.id: (m.session or {}).get("capacity") for m in modules})


def _schedule_form(modules: list[Module], staff: list[User]) -> ScheduleForm:
    """The form with its choices; on a first view, the module asked for and the viewer's
    own time zone and name as defaults."""
    form = ScheduleForm()
    form.module.choices = [
        SelectChoice(m.id, _("%(module)s (%(modality)s)", module=m.title,
                             modality=modality_name(m.modality)))
        for m in modules]
    form.facilitator.choices = _facilitator_choices(staff)
    if request.method == "GET":
        form.timezone.data = current_user.timezone or "UTC"
        wanted = request.args.get("module", "")
        form.module.data = next((m.id for m in modules if m.slug == wanted), None)
        form.facilitator.data = current_user.id
    return form


def _facilitator_choices(staff: list[User]) -> list[SelectChoice]:
    return [SelectChoice(u.id, u.name) for u in staff]


def _plan(form: ScheduleForm, modules: list[Module], staff: list[User]) -> Schedule:
    """What the form says; for a change (no module field), the session's one module."""
    assert form.date.data and form.start.data and form.end.data
    zone = form.timezone.data or "UTC"
    module_id = form.module.data if form.module is not None else modules[0].id
    return Schedule(
        module=next(m for m in modules if m.id == module_id),
        starts_at=to_utc(datetime.combine(form.date.data, form.start.data), zone),
        ends_at=to_utc(datetime.combine(form.date.data, form.end.data), zone),
        timezone=zone, capacity=form.capacity.data,
        facilitator=next(u for u in staff if u.id == form.facilitator.data),
        location=form.location.data or "", join_url=form.join_url.data or "")


@bp.route("/<int:session_id>/")
@login_required
def session_page(session_id: int) -> str:
    row = _row_or_404(session_id)
    moment, session = now(), row.session
    live = session.cancelled_at is None
    return render_template(
        "classroom/session.html", row=row, form=EmptyForm(),
        show_join_link=live and can(current_user, "session.see_join_link", session),
        may_take_attendance=live and can(current_user, "session.take_attendance", session),
        may_change=changeable(session.ends_at, session.cancelled_at, moment)
        and can(current_user, "session.schedule", row.course),
        registration_open=live and registration_open(session.starts_at, moment))


def _staff_row_or_403(session_id: int) -> SessionRow:
    """The session, for the course's instructors and administrators (403 for others), while
    it can still be changed (else back to its page, which says why)."""
    row = _row_or_404(session_id)
    authorize_or_403("session.schedule", row.course)
    return row


def _changeable_row(session_id: int, refusal: str) -> tuple[SessionRow, WerkzeugResponse | None]:
    """The session for its staff, and the way back to its page (saying `refusal`) once it
    has ended or been cancelled."""
    row = _staff_row_or_403(session_id)
    session = row.session
    if changeable(session.ends_at, session.cancelled_at, now()):
        return row, None
    flash(refusal, "error")
    return row, redirect(url_for("classroom.session_page", session_id=session_id))


@bp.route("/<int:session_id>/change", methods=["GET", "POST"])
@login_required
def change_session_page(session_id: int) -> str | WerkzeugResponse:
    row, refused = _changeable_row(session_id, _("This session can no longer be changed."))
    if refused is not None:
        return refused
    session = row.session
    staff = _facilitators(row.course, session)
    form = ChangeForm()
    form.facilitator.choices = _facilitator_choices(staff)
    if request.method == "GET":
        _fill_from(form, session)
    if form.validate_on_submit():
        plan = _plan(form, [row.module], staff)
        done = run_service(form, lambda: change_session(current_user, session, plan, now()))
        if done is not None:
            flash(_changed_message(done), "success")
            return redirect(url_for("classroom.session_page", session_id=session_id))
    return render_template("classroom/change.html", row=row, form=form)


def _facilitators(course: Course, session: ClassSession) -> list[User]:
    """Who may facilitate, and the session's facilitator even if no longer on the staff (the
    form shows who it is; the rules refuse keeping them)."""
    staff = staff_choices(course)
    if session.facilitator_id not in {u.id for u in staff}:
        facilitator = db.session.get(User, session.facilitator_id)
        staff = [*staff, *([facilitator] if facilitator is not None else [])]
    return staff


def _changed_message(done: SessionChange) -> str:
    if not done.changes:
        return _("Nothing was changed.")
    if done.told:
        return ngettext("The session is changed, and %(num)d learner is told.",
                        "The session is changed, and %(num)d learners are told.", done.told)
    return _("The session is changed.")


def _fill_from(form: ChangeForm, session: ClassSession) -> None:
    """The session as it stands, on the clock of where it takes place."""
    starts, ends = local_time(session.starts_at, session.timezone), local_time(
        session.ends_at, session.timezone)
    form.date.data, form.start.data, form.end.data = starts.date(), starts.time(), ends.time()
    form.timezone.data, form.capacity.data = session.timezone, session.capacity
    form.facilitator.data = session.facilitator_id
    form.location.data, form.join_url.data = session.location, session.join_url


@bp.route("/<int:session_id>/cancel-session", methods=["GET", "POST"])
@login_required
def cancel_session_page(session_id: int) -> str | WerkzeugResponse:
    row, refused = _changeable_row(session_id, _("This session can no longer be cancelled."))
    if refused is not None:
        return refused
    session = row.session
    form = CancelSessionForm()
    if form.validate_on_submit():
        reason = form.reason.data or ""
        told = run_service(form, lambda: cancel_session(current_user, session, reason, now()))
        if told is not None:
            flash(ngettext("The session is cancelled, and %(num)d learner is told.",
                           "The session is cancelled, and %(num)d learners are told.", told),
                  "success")
            return redirect(url_for("classroom.session_page", session_id=session_id))
    return render_template("classroom/cancel_session.html", row=row, form=form)


def _change_registration(session_id: int, change: str) -> WerkzeugResponse:
    session = db.get_or_404(ClassSession, session_id)
    if EmptyForm().validate_on_submit():
        message = run_service(None, lambda: _registration_change(session, change))
        if message is not None:
            flash(message, "success")
    return redirect(url_for("classroom.session_page", session_id=session_id))


def _registration_change(session: ClassSession, change: str) -> str:
    """Register for or cancel a seat at the session; what to tell the learner."""
    if change == "register":
        registration = register_for_session(current_user, session, now())
        return (_("You have a seat.") if registration.status == "registered" else
                _("The session is full: you are on the waitlist and will get a seat if one "
                  "frees."))
    cancel_registration(current_user, session, now())
    return _("Your registration is cancelled.")


@bp.route("/<int:session_id>/register", methods=["POST"])
@login_required
def register(session_id: int) -> WerkzeugResponse:
    return _change_registration(session_id, "register")


@bp.route("/<int:session_id>/cancel", methods=["POST"])
@login_required
def cancel(session_id: int) -> WerkzeugResponse:
    return _change_registration(session_id, "cancel")


@bp.route("/<int:session_id>/attendance", methods=["GET", "POST"])
@login_required
def attendance(session_id: int) -> str | WerkzeugResponse:
    row = _row_or_404(session_id)
    authorize_or_403("session.take_attendance", row.session)
    form = EmptyForm()
    read: Items[int, Mark] = Items()
    lines = roster(row.session, roster_centres(current_user, row.session))
    if form.validate_on_submit():
        read = _marks(lines)
        changed = run_service(form, lambda: record_attendance(
            current_user, row.session, read.values, now())) if read.ok else None
        if changed is not None:
            flash(ngettext("Attendance saved (%(num)d change).",
                           "Attendance saved (%(num)d changes).", changed), "success")
            return redirect(url_for("classroom.attendance", session_id=session_id))
    return render_template(
        "classroom/attendance.html", row=row, lines=lines,
        waiting=waitlist(row.session), form=form, marks=ATTENDANCE_MARKS,
        labels=ATTENDANCE_LABELS,
        open=row.session.cancelled_at is None and attendance_open(row.session.starts_at, now()),
        item_errors=read.errors, posted=request.form if request.method == "POST" else None)


def _marks(lines: list[RosterLine]) -> Items[int, Mark]:
    """Each learner's mark as posted. The learners are those on the page and any other
    posted: the service refuses a learner without a seat (above the form, as the page has
    no line to show it on) rather than the page ignoring one."""
    ids = [line.learner.id for line in lines]
    on_page = set(ids)
    # "Save, the others present": each seated learner left without a mark is present.
    seated = {line.learner.id for line in lines if line.status == "registered"} \
        if request.form.get("others") == "present" else set()
    posted = [int(key.removeprefix("mark-")) for key in request.form
              if key.startswith("mark-") and key.removeprefix("mark-").isdigit()]

    def parse(user_id: int, values: list[str]) -> Mark | None:
        value = values[0] if values else ""
        if not value:
            return Mark("present", request.form.get(f"note-{user_id}", "")) \
                if user_id in seated else None
        if value not in ATTENDANCE_MARKS and user_id in on_page:
            raise BadItem(_("Choose present, late, absent or excused."))
        return Mark(value, request.form.get(f"note-{user_id}", ""))

    return read_items(request.form, "mark-", dict.fromkeys([*ids, *posted]), parse)


@bp.route("/<int:session_id>/sign-in-sheet")
@login_required
def sign_in_sheet(session_id: int) -> str:
    row = _row_or_404(session_id)
    authorize_or_403("session.take_attendance", row.session)
    return render_template("classroom/sign_in_sheet.html", row=row, lines=roster(
        row.session, roster_centres(current_user, row.session)))


def _entry(row: SessionRow, show_join_link: bool) -> CalendarEntry:
    return CalendarEntry(
        session=row.session, course_title=row.course.title, module_title=row.module.title,
        url=url_for("classroom.session_page", session_id=row.session.id, _external=True),
        facilitator=row.facilitator,
        materials=tuple((row.module.session or {}).get("materials", ())),
        show_join_link=show_join_link, waitlisted=row.my_status == "waitlisted")


def _ics(body: bytes, filename: str) -> Response:
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/<int:session_id>/session.ics")
@login_required
def session_ics(session_id: int) -> Response:
    row = _row_or_404(session_id)
    shown = can(current_user, "session.see_join_link", row.session)
    body = build_calendar([_entry(row, shown)], name=row.module.title, now=now())
    return _ics(body, f"trainhub-session-{session_id}.ics")


@bp.route("/calendar", methods=["GET", "POST"])
@login_required
def calendar() -> str | WerkzeugResponse:
    """The user's private feed address, and replacing it."""
    form = EmptyForm()
    if form.validate_on_submit():
        calendar_feed(current_user, now(), renew=True)
        flash(_("Your calendar address is replaced; the old one no longer works."), "success")
        return redirect(url_for("classroom.calendar"))
    feed = db.session.get(CalendarFeed, current_user.id)
    return render_template("classroom/calendar.html", form=form, feed=feed)


@bp.route("/feed/<token>.ics")
@limiter.limit("60 per minute")
def feed(token: str) -> Response:
    """A calendar application polls this without logging in: the token is the key."""
    found = db.first_or_404(select(CalendarFeed).where(CalendarFeed.token == token))
    user = db.session.get(User, found.user_id)
    if user is None or not user.active:
        abort(404)
    moment = now()
    rows = calendar_rows(user, moment)
    shown = join_links_seen(user, rows)
    # The calendar application asks without the person's session: their profile's language.
    with force_locale(user.language) if is_language(user.language) else nullcontext():
        body = build_calendar([_entry(row, row.session.id in shown) for row in rows],
                              name=_("TrainHub sessions"), now=moment)
    return _ics(body, "trainhub.ics")
