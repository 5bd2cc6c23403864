"""Changing and cancelling a scheduled session, and telling its learners.

A change goes through the rules of scheduling (`services.check_schedule`), and the seats may
not drop below those held; more seats move the waitlist up. A change of time, place or join
link raises the session's SEQUENCE and tells every learner holding a seat or a waitlist
place, with the calendar file that updates theirs; a change of seats or facilitator only
tells nobody (no one's calendar or plans change). A cancellation keeps the session and its
registrations on record, refuses registration, attendance and any further change from then
on, and tells the same learners with a METHOD:CANCEL calendar file.

Each is one event in the audit chain, in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.auth.models import User
from app.classroom.models import ClassSession, Registration
from app.classroom.notices import Before, tell_session_cancelled, tell_session_changed
from app.classroom.rules import calendar_must_see, changeable, changed_fields
from app.classroom.services import (
    Schedule,
    check_schedule,
    locked_session,
    promote_from_waitlist,
    seated_count,
)
from app.content.models import Course, Module
from app.core.auth import authorize
from app.core.errors import DomainError, ValidationError
from app.extensions import db
from app.records.services import record_event


@dataclass(frozen=True)
class SessionChange:
    """What a change did: each field changed as (before, after), who moved up from the
    waitlist, and how many learners were told (none for seats or facilitator only)."""

    changes: dict[str, tuple[object, object]] = field(default_factory=dict)
    promoted: list[int] = field(default_factory=list)
    told: int = 0


def _open_for_change(actor: User, session: ClassSession, now: datetime
                     ) -> tuple[ClassSession, Course]:
    """The session under its row lock (two instructors at once apply one after the other),
    with its course, once the actor may change it and it can still be changed."""
    course = db.session.get(Course, session.course_id)
    assert course is not None
    authorize(actor, "session.schedule", course)
    session = locked_session(session)
    if not changeable(session.ends_at, session.cancelled_at, now):
        raise DomainError(_("This session is cancelled: it can no longer be changed.")
                          if session.cancelled_at is not None else
                          _("This session has ended: it can no longer be changed or "
                            "cancelled."))
    return session, course


def change_session(actor: User, session: ClassSession, plan: Schedule,
                   now: datetime) -> SessionChange:
    """Change a session's times, time zone, seats, facilitator, room or join link."""
    session, course = _open_for_change(actor, session, now)
    if plan.module.id != session.module_id:
        raise ValidationError(_("A session keeps its module: cancel it and schedule a session "
                                "of the other module."), field="module")
    checked = check_schedule(course, plan, seated=seated_count(session.id))
    after: dict[str, object] = {
        "starts_at": plan.starts_at, "ends_at": plan.ends_at, "timezone": plan.timezone,
        "capacity": checked.capacity, "facilitator_id": plan.facilitator.id,
        "location": checked.location, "join_url": checked.join_url}
    changes = changed_fields({key: getattr(session, key) for key in after}, after)
    if not changes:
        return SessionChange()
    before = Before(session.starts_at, session.ends_at, session.location, session.join_url)
    old_capacity, old_facilitator = session.capacity, session.facilitator_id
    for key, (_old, new) in changes.items():
        setattr(session, key, new)
    seen = calendar_must_see(changes)
    if seen:
        session.sequence += 1
    db.session.flush()
    record_event("session.changed", actor=actor, now=now, subject_type="class_session",
                 subject_id=session.id, course_id=course.id,
                 details=_audit_details(session, changes, old_facilitator))
    promoted = promote_from_waitlist(session, now) if session.capacity > old_capacity else []
    told = tell_session_changed(session.id, before, now, leaving_out=promoted) if seen else 0
    return SessionChange(changes, promoted, told)


def _audit_details(session: ClassSession, changes: dict[str, tuple[object, object]],
                   old_facilitator: int) -> dict[str, object]:
    """`field: {old, new}` for each change, as the records show them; the facilitator by
    name, and of a join link only that it changed (it is the room's key)."""
    module = db.session.get(Module, session.module_id)
    assert module is not None
    details: dict[str, object] = {"module": module.slug, "sequence": session.sequence}
    for key, (old, new) in changes.items():
        if key == "facilitator_id":
            names = {user_id: name for user_id, name in db.session.execute(
                select(User.id, User.name).where(
                    User.id.in_((old_facilitator, session.facilitator_id))))}
            details["facilitator"] = {"old": names.get(old_facilitator),
                                      "new": names.get(session.facilitator_id)}
        elif key == "join_url":
            details["join_link_changed"] = True
        else:
            details[key] = {"old": old, "new": new}
    return details


def cancel_session(actor: User, session: ClassSession, reason: str, now: datetime) -> int:
    """Cancel a session, saying why: its registrations keep their rows, and every learner
    holding a seat or a waitlist place is told. How many were told."""
    session, course = _open_for_change(actor, session, now)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason: the learners read it."), field="reason")
    session.cancelled_at, session.cancelled_by_id, session.cancel_reason = now, actor.id, reason
    # The calendar sees the status change: the CANCEL and the feed carry a higher SEQUENCE.
    session.sequence += 1
    db.session.flush()
    held = {status: count for status, count in db.session.execute(
        select(Registration.status, func.count()).where(Registration.session_id == session.id)
        .group_by(Registration.status))}
    module = db.session.get(Module, session.module_id)
    assert module is not None
    record_event("session.cancelled", actor=actor, now=now, subject_type="class_session",
                 subject_id=session.id, course_id=course.id, reason=reason,
                 details={"module": module.slug, "starts_at": session.starts_at,
                          "sequence": session.sequence,
                          "registered": held.get("registered", 0),
                          "waitlisted": held.get("waitlisted", 0)})
    return tell_session_cancelled(session.id, now)
