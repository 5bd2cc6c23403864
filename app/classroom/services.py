"""Scheduling live sessions, registering with a waitlist, taking attendance, calendars.

Every change writes its event to the audit chain in the same transaction.
"""

from __future__ import annotations

import secrets
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from app.auth.models import User
from app.centres.scope import learner_in_centres
from app.classroom.models import (
    ATTENDANCE_MARKS,
    Attendance,
    CalendarFeed,
    ClassSession,
    Registration,
)
from app.classroom.notices import tell_seats_granted
from app.classroom.queries import SessionRow, roster_centres
from app.classroom.rules import (
    ATTENDANCE_OPENS_BEFORE,
    Place,
    attendance_open,
    counts_as_attended,
    place_for_newcomer,
    promotions,
    registration_open,
)
from app.content.models import Course, Module
from app.core.auth import authorize
from app.core.errors import DomainError, ValidationError, refuse_all
from app.core.roles import Role
from app.extensions import db
from app.learning.models import CourseStaff, Enrolment
from app.learning.queries import courses_on_staff
from app.learning.services import complete_module, staff_roles
from app.records.services import record_event

# --- who may do what ----------------------------------------------------------------------


def may_schedule(actor: User, course: Course) -> bool:
    return actor.has_role(Role.ADMIN) or "instructor" in staff_roles(actor, course.id)


def may_take_attendance(actor: User, session: ClassSession) -> bool:
    """The session's facilitator, the course's instructors, and admins."""
    return (actor.id == session.facilitator_id or actor.has_role(Role.ADMIN)
            or "instructor" in staff_roles(actor, session.course_id))


def may_see_join_link(actor: User, session: ClassSession) -> bool:
    """Online join links go to registered learners and the course's staff only."""
    if actor.id == session.facilitator_id or actor.has_role(Role.ADMIN) \
            or staff_roles(actor, session.course_id):
        return True
    return db.session.scalar(select(Registration.id).where(
        Registration.session_id == session.id, Registration.user_id == actor.id,
        Registration.status == "registered")) is not None


def join_links_seen(viewer: User, rows: list[SessionRow]) -> set[int]:
    """The sessions among `rows` (read for `viewer`, so with their registration) whose join
    link they see, by the rule of `may_see_join_link`: one statement however many."""
    on_staff = courses_on_staff(viewer.id, (row.session.course_id for row in rows))
    return {row.session.id for row in rows
            if viewer.id == row.session.facilitator_id or viewer.has_role(Role.ADMIN)
            or row.session.course_id in on_staff or row.my_status == "registered"}


# --- scheduling -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    """What an instructor enters. Times are aware UTC, converted from `timezone` by the form."""

    module: Module
    starts_at: datetime
    ends_at: datetime
    timezone: str
    capacity: int | None
    facilitator: User
    location: str = ""
    join_url: str = ""


@dataclass(frozen=True)
class Checked:
    """A plan as the rules accept it: the seats (from the course file when none were given),
    and the room or the join link, whichever the module's modality takes."""

    capacity: int
    location: str
    join_url: str


def check_schedule(course: Course, plan: Schedule, *, seated: int = 0,
                   facilitator_ok: bool | None = None) -> Checked:
    """The rules a session's plan meets, when it is scheduled and each time it is changed
    (`seated`: the seats already held, which the capacity may not drop below). Every problem
    is refused at once, each at its field. `facilitator_ok`: the caller's own decision on the
    facilitator (an intake's team), instead of the course's staff."""
    errors: list[ValidationError] = []
    module = plan.module
    live = module.course_id == course.id and module.archived_at is None and bool(module.session)
    if not live:
        errors.append(ValidationError(
            _("Choose a module of this course that has a live session."), field="module"))
    if plan.ends_at <= plan.starts_at:
        errors.append(ValidationError(_("The session must end after it starts."), field="end"))
    capacity = plan.capacity if plan.capacity is not None \
        else (module.session or {}).get("capacity")
    if not capacity or capacity < 1:
        errors.append(ValidationError(_("Give the number of seats (1 or more)."),
                                      field="capacity"))
    elif capacity < seated:
        errors.append(ValidationError(ngettext(
            "%(num)d learner holds a seat: give at least %(num)d seat.",
            "%(num)d learners hold a seat: give at least %(num)d seats.", seated),
            field="capacity"))
    if facilitator_ok is None:
        facilitator_ok = plan.facilitator.has_role(Role.ADMIN) \
            or bool(staff_roles(plan.facilitator, course.id))
    if not facilitator_ok:
        errors.append(ValidationError(_("The facilitator must be an instructor or assessor of "
                                        "the course."), field="facilitator"))
    location, join_url = plan.location.strip(), plan.join_url.strip()
    if live and module.modality == "virtual":
        parts = urlsplit(join_url)
        if parts.scheme != "https" or not parts.netloc:
            errors.append(ValidationError(
                _("Give the join link of the online session (https://…)."), field="join_url"))
        location = ""
    elif live:
        if not location:
            errors.append(ValidationError(_("Give the room or place of the session."),
                                          field="location"))
        join_url = ""
    refuse_all(errors)
    return Checked(int(capacity or 0), location, join_url)


def schedule_session(actor: User, course: Course, plan: Schedule, now: datetime) -> ClassSession:
    authorize(actor, "session.schedule", course)
    return add_session(actor, course, plan, check_schedule(course, plan), now)


def add_session(actor: User, course: Course, plan: Schedule, checked: Checked, now: datetime,
                *, intake_id: int | None = None) -> ClassSession:
    """The session of a plan its caller authorized and checked (an intake's session: its
    own staff decide, and only its learners take its seats)."""
    module, capacity = plan.module, checked.capacity
    location, join_url = checked.location, checked.join_url
    session = ClassSession(
        course_id=course.id, module_id=module.id, starts_at=plan.starts_at,
        ends_at=plan.ends_at, timezone=plan.timezone, capacity=capacity,
        facilitator_id=plan.facilitator.id, location=location, join_url=join_url,
        created_by_id=actor.id, created_at=now, uid=f"{secrets.token_hex(16)}@trainhub",
        intake_id=intake_id)
    db.session.add(session)
    db.session.flush()
    record_event("session.scheduled", actor=actor, now=now, subject_type="class_session",
                 subject_id=session.id, course_id=course.id,
                 details={"module": module.slug, "starts_at": session.starts_at,
                          "ends_at": session.ends_at, "timezone": session.timezone,
                          "capacity": capacity, "facilitator": plan.facilitator.name,
                          "location": location,
                          **({"intake_id": intake_id} if intake_id is not None else {})})
    return session


# --- registration and waitlist ---------------------------------------------------------------


def refuse_if_cancelled(session: ClassSession) -> None:
    """A cancelled session takes no registration, no attendance and no change."""
    if session.cancelled_at is not None:
        raise DomainError(_("This session is cancelled."))


def locked_session(session: ClassSession) -> ClassSession:
    """Re-read the session holding its row lock (PostgreSQL), so that two learners taking the
    last seat at once are served one after the other. SQLite's BEGIN IMMEDIATE serializes
    the whole write transaction already."""
    locked = db.session.scalar(select(ClassSession).where(ClassSession.id == session.id)
                               .with_for_update())
    assert locked is not None
    return locked


def seated_count(session_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.session_id == session_id, Registration.status == "registered")) or 0


def find_registration(user: User, session: ClassSession) -> Registration | None:
    return db.session.scalar(select(Registration).where(
        Registration.session_id == session.id, Registration.user_id == user.id))


def _registration_event(action: str, actor: User | None, registration: Registration,
                        session: ClassSession, now: datetime, **details: object) -> None:
    record_event(action, actor=actor, automatic=actor is None, now=now,
                 subject_type="class_session", subject_id=session.id, course_id=session.course_id,
                 learner_id=registration.user_id,
                 details={"starts_at": session.starts_at, **details})


def register_for_session(learner: User, session: ClassSession, now: datetime, *,
                         for_intake: bool = False) -> Registration:
    """Take a seat, or a waitlist place when the session is full. An intake's session
    takes no one on their own: its feature registers the intake's learners (`for_intake`)."""
    if session.intake_id is not None and not for_intake:
        raise DomainError(_("This session is for the learners of an intake, who are "
                            "registered for it by their intake."))
    enrolled = db.session.scalar(select(Enrolment.id).where(
        Enrolment.user_id == learner.id, Enrolment.course_id == session.course_id,
        Enrolment.status == "active")) is not None
    if not enrolled:
        raise DomainError(_("Enrol in the course to register for its sessions."))
    session = locked_session(session)
    refuse_if_cancelled(session)
    if not registration_open(session.starts_at, now):
        raise DomainError(_("Registration has closed: this session has started."))
    registration = find_registration(learner, session)
    if registration is not None and registration.status != "cancelled":
        return registration
    status = place_for_newcomer(session.capacity, seated_count(session.id))
    if registration is None:
        registration = Registration(session_id=session.id, user_id=learner.id, status=status,
                                    placed_at=now)
        db.session.add(registration)
    registration.status, registration.placed_at, registration.cancelled_at = status, now, None
    db.session.flush()
    _registration_event("session.registered" if status == "registered" else "session.waitlisted",
                        learner, registration, session, now)
    return registration


def cancel_registration(learner: User, session: ClassSession, now: datetime) -> list[int]:
    """Give up a seat or waitlist place; a freed seat goes to the first on the waitlist.
    Returns the ids of learners promoted."""
    session = locked_session(session)
    refuse_if_cancelled(session)
    registration = find_registration(learner, session)
    if registration is None or registration.status == "cancelled":
        return []
    if not registration_open(session.starts_at, now):
        raise DomainError(_("This session has started: ask the facilitator to mark you "
                            "excused."))
    held_seat = registration.status == "registered"
    registration.status, registration.cancelled_at = "cancelled", now
    db.session.flush()
    _registration_event("session.registration_cancelled", learner, registration, session, now,
                        held_seat=held_seat)
    return promote_from_waitlist(session, now) if held_seat else []


def promote_from_waitlist(session: ClassSession, now: datetime) -> list[int]:
    """Move the first of the waitlist into the seats free now, and tell them; their ids."""
    waiting = {r.user_id: r for r in db.session.scalars(select(Registration).where(
        Registration.session_id == session.id, Registration.status == "waitlisted"))}
    chosen = promotions(session.capacity, seated_count(session.id),
                        [Place(r.user_id, r.placed_at, r.id) for r in waiting.values()])
    for user_id in chosen:
        registration = waiting[user_id]
        registration.status = "registered"
        _registration_event("session.promoted", None, registration, session, now)
    db.session.flush()
    tell_seats_granted(session.id, chosen, now)
    return chosen


# --- attendance -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    mark: str
    note: str = ""


def record_attendance(actor: User, session: ClassSession, marks: dict[int, Mark],
                      now: datetime) -> int:
    """Mark registered learners present, late, absent or excused: one event per learner whose
    mark changed, all in the caller's transaction, and nothing at all when one mark is wrong.
    With `attendance: required`, present or late completes the module (with its other
    requirements met). Returns how many marks changed."""
    authorize(actor, "session.take_attendance", session)
    refuse_if_cancelled(session)
    if not attendance_open(session.starts_at, now):
        hours = int(ATTENDANCE_OPENS_BEFORE.total_seconds() // 3600)
        raise DomainError(ngettext("Attendance opens %(num)d hour before the session starts.",
                                   "Attendance opens %(num)d hours before the session starts.",
                                   hours))
    seated = {r.user_id for r in db.session.scalars(select(Registration).where(
        Registration.session_id == session.id, Registration.status == "registered",
        learner_in_centres(session.course_id, Registration.user_id,
                           roster_centres(actor, session))))}
    current = {a.user_id: a for a in db.session.scalars(select(Attendance).where(
        Attendance.session_id == session.id))}
    module = db.session.get(Module, session.module_id)
    assert module is not None
    # Every mark is checked before any is written: a batch is recorded whole or not at all.
    if any(mark.mark not in ATTENDANCE_MARKS for mark in marks.values()):
        raise ValidationError(_("Choose present, late, absent or excused."), field="marks")
    if any(user_id not in seated and user_id not in current for user_id in marks):
        raise ValidationError(_("Only learners registered for the session can be marked."),
                              field="marks")
    changed = 0
    for user_id, mark in marks.items():
        row = current.get(user_id)
        if row is not None and (row.mark, row.note) == (mark.mark, mark.note.strip()):
            continue
        previous = row.mark if row is not None else None
        if row is None:
            row = Attendance(session_id=session.id, user_id=user_id, mark=mark.mark)
            db.session.add(row)
        row.mark, row.note = mark.mark, mark.note.strip()
        row.recorded_at, row.recorded_by_id = now, actor.id
        changed += 1
        record_event("attendance.recorded", actor=actor, now=now, subject_type="class_session",
                     subject_id=session.id, course_id=session.course_id, learner_id=user_id,
                     details={"module": module.slug, "title": module.title,
                              "starts_at": session.starts_at, "mark": mark.mark,
                              "previous": previous, "note": row.note})
        db.session.flush()
        if counts_as_attended(mark.mark):
            learner = db.session.get(User, user_id)
            assert learner is not None
            # A module whose attendance is optional completes another way, and a module still
            # locked for the learner does not complete: the attendance stays on record.
            with suppress(DomainError):
                complete_module(learner, module, now, via="attendance")
    return changed


def attended(learner: User, module: Module, since: datetime) -> bool:
    """Present or late at a session of the module that started since `since`."""
    return db.session.scalar(
        select(Attendance.id).join(ClassSession, ClassSession.id == Attendance.session_id)
        .where(ClassSession.module_id == module.id, Attendance.user_id == learner.id,
               Attendance.mark.in_(("present", "late")), ClassSession.starts_at >= since)
        .limit(1)) is not None


# --- calendar feed --------------------------------------------------------------------------


def calendar_feed(user: User, now: datetime, *, renew: bool = False) -> CalendarFeed:
    """The user's private calendar address, created on first use; `renew` replaces the token,
    so that an address shared by mistake stops working."""
    feed = db.session.get(CalendarFeed, user.id)
    if feed is None:
        feed = CalendarFeed(user_id=user.id, token=secrets.token_urlsafe(32), created_at=now)
        db.session.add(feed)
    elif renew:
        feed.token, feed.created_at = secrets.token_urlsafe(32), now
    db.session.flush()
    return feed


def staff_choices(course: Course) -> list[User]:
    """Who may facilitate: the course's instructors and assessors."""
    return list(db.session.scalars(
        select(User).join(CourseStaff, CourseStaff.user_id == User.id)
        .where(CourseStaff.course_id == course.id, User.active.is_(True))
        .distinct().order_by(User.name)))
