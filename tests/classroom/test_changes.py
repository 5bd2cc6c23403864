"""Changing and cancelling a session, without HTTP: the rules of scheduling, the seats held,
the waitlist moving up, the audit chain, what a cancelled session refuses, and the notices
each learner gets with the calendar file that updates theirs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from app.classroom.changes import cancel_session, change_session
from app.classroom.models import ClassSession, Registration
from app.classroom.notices import CANCELLED, CHANGED, SEAT_GRANTED
from app.classroom.reminders import remind_sessions
from app.classroom.services import (
    Mark,
    Schedule,
    cancel_registration,
    record_attendance,
    register_for_session,
)
from app.core.errors import DomainError, PermissionDenied, ValidationError, ValidationErrors
from app.extensions import db
from app.mail.models import OutboxMessage
from app.notifications.models import Notification
from app.records.models import Event
from app.records.services import verify_chain
from tests.blended import Gxp
from tests.classroom.mailbox import calendar_file, notice_kinds, queued_mails
from tests.conftest import FrozenClock

SOON = datetime(2026, 3, 9, 0, 0, tzinfo=UTC)  # a week after the test clock's start


def _plan(gxp: Gxp, session: ClassSession, **changes: object) -> Schedule:
    """The session as it stands, with `changes`."""
    values: dict[str, object] = {
        "module": gxp.workshop, "starts_at": session.starts_at, "ends_at": session.ends_at,
        "timezone": session.timezone, "capacity": session.capacity,
        "facilitator": gxp.instructor, "location": session.location, "join_url": ""}
    return Schedule(**{**values, **changes})  # type: ignore[arg-type]


def _full(gxp: Gxp, clock: FrozenClock) -> ClassSession:
    """One seat: Amina holds it, Kim waits."""
    session = gxp.schedule(gxp.workshop, SOON, capacity=1)
    amina, kim = gxp.learners
    assert register_for_session(amina, session, clock()).status == "registered"
    assert register_for_session(kim, session, clock()).status == "waitlisted"
    return session


def _text(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def _events(action: str) -> list[Event]:
    return list(db.session.scalars(select(Event).where(Event.action == action)
                                   .order_by(Event.seq)))


def test_a_change_is_checked_by_the_rules_of_scheduling_every_problem_at_once(
        gxp: Gxp, clock: FrozenClock) -> None:
    session = gxp.schedule(gxp.workshop, SOON)
    with pytest.raises(ValidationErrors) as refused:
        change_session(gxp.instructor, session, _plan(
            gxp, session, ends_at=SOON - timedelta(hours=1), capacity=0,
            facilitator=gxp.learners[0], location=" "), clock())
    assert [error.field for error in refused.value.errors] == [
        "end", "capacity", "facilitator", "location"]
    with pytest.raises(ValidationError) as moved:
        change_session(gxp.instructor, session, _plan(gxp, session, module=gxp.gowning),
                       clock())
    assert moved.value.field == "module"
    for stranger in (gxp.learners[0], gxp.outsider):
        with pytest.raises(PermissionDenied):
            change_session(stranger, session, _plan(gxp, session, capacity=3), clock())
        with pytest.raises(PermissionDenied):
            cancel_session(stranger, session, "Room flooded", clock())
    assert _events("session.changed") == [] and session.sequence == 0


def test_the_seats_may_not_drop_below_those_held(gxp: Gxp, clock: FrozenClock) -> None:
    session = gxp.schedule(gxp.workshop, SOON, capacity=3)
    for learner in gxp.learners:
        register_for_session(learner, session, clock())
    with pytest.raises(ValidationError) as refused:
        change_session(gxp.instructor, session, _plan(gxp, session, capacity=1), clock())
    assert refused.value.field == "capacity"
    assert refused.value.message == "2 learners hold a seat: give at least 2 seats."
    done = change_session(gxp.instructor, session, _plan(gxp, session, capacity=2), clock())
    assert done.changes == {"capacity": (3, 2)} and session.capacity == 2


def test_more_seats_move_the_waitlist_up_and_tell_nobody_else(gxp: Gxp,
                                                              clock: FrozenClock) -> None:
    """Seats are the staff's business: no SEQUENCE, no change notice; the learner who gets a
    seat hears of it as from any waitlist."""
    session = _full(gxp, clock)
    amina, kim = gxp.learners
    done = change_session(gxp.instructor, session, _plan(gxp, session, capacity=2), clock())
    assert done.promoted == [kim.id] and done.told == 0
    assert session.sequence == 0
    assert notice_kinds(amina) == [] and notice_kinds(kim) == [SEAT_GRANTED]
    [event] = _events("session.changed")
    assert event.details["capacity"] == {"old": 1, "new": 2}
    assert [e.learner_id for e in _events("session.promoted")] == [kim.id]
    assert change_session(gxp.instructor, session, _plan(gxp, session, capacity=2),
                          clock()).changes == {}  # nothing to change: no event
    assert len(_events("session.changed")) == 1


def test_a_new_time_and_room_raise_the_sequence_and_tell_seats_and_waitlist(
        gxp: Gxp, clock: FrozenClock) -> None:
    session = _full(gxp, clock)
    amina, kim = gxp.learners
    amina.timezone = "Africa/Lagos"
    later = SOON + timedelta(days=1)
    done = change_session(gxp.instructor, session, _plan(
        gxp, session, starts_at=later, ends_at=later + timedelta(hours=3),
        location="Seminar room 5"), clock())
    assert set(done.changes) == {"starts_at", "ends_at", "location"}
    assert done.told == 2 and done.promoted == []
    assert session.sequence == 1
    [event] = _events("session.changed")
    assert event.details["starts_at"] == {"old": SOON.isoformat(), "new": later.isoformat()}
    assert event.details["location"] == {"old": "Training cleanroom B",
                                         "new": "Seminar room 5"}
    assert event.details["sequence"] == 1
    assert verify_chain().ok
    assert notice_kinds(amina) == [CHANGED] and notice_kinds(kim) == [CHANGED]
    [seated] = queued_mails(amina)
    assert "Changed: Deviation investigation workshop" in str(seated["Subject"])
    text = _text(seated)
    # Amina reads both times on her own clock (Lagos, UTC+1), new then old.
    assert "When: Tue 10 Mar 2026, 01:00 to 04:00 (Africa/Lagos) (was Mon 9 Mar 2026, " \
           "01:00 to 03:00 (Africa/Lagos))." in text
    assert "Place: Seminar room 5 (was Training cleanroom B)." in text
    assert "give up your seat" in text
    calendar = calendar_file(seated)
    assert calendar["METHOD"] == "PUBLISH"
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == session.uid
    assert vevent["SEQUENCE"] == 1
    assert vevent["STATUS"] == "CONFIRMED"
    assert vevent.decoded("DTSTART") == later
    assert str(vevent["LOCATION"]) == "Seminar room 5"
    assert str(vevent["ORGANIZER"]).startswith("mailto:")
    [waiting] = queued_mails(kim)
    assert "leave the waitlist" in _text(waiting)
    [vevent] = calendar_file(waiting).walk("VEVENT")
    assert vevent["STATUS"] == "TENTATIVE" and vevent["SEQUENCE"] == 1
    entry = db.session.scalar(select(Notification).where(Notification.user_id == kim.id))
    assert entry is not None and "moves to" in entry.summary


def test_a_change_that_gives_a_seat_tells_that_learner_once(gxp: Gxp,
                                                            clock: FrozenClock) -> None:
    session = _full(gxp, clock)
    amina, kim = gxp.learners
    done = change_session(gxp.instructor, session, _plan(
        gxp, session, capacity=2, location="Seminar room 5"), clock())
    assert done.promoted == [kim.id] and done.told == 1
    assert notice_kinds(amina) == [CHANGED] and notice_kinds(kim) == [SEAT_GRANTED]


def test_cancelling_keeps_the_registrations_and_tells_everyone_with_a_cancel(
        gxp: Gxp, clock: FrozenClock) -> None:
    session = _full(gxp, clock)
    amina, kim = gxp.learners
    with pytest.raises(ValidationError) as refused:
        cancel_session(gxp.instructor, session, "  ", clock())
    assert refused.value.field == "reason"
    assert cancel_session(gxp.instructor, session, "The trainer is ill.", clock()) == 2
    assert session.cancelled_at == clock() and session.cancelled_by_id == gxp.instructor.id
    assert session.sequence == 1
    statuses = {user_id: status for user_id, status in db.session.execute(
        select(Registration.user_id, Registration.status)
        .where(Registration.session_id == session.id))}
    assert statuses == {amina.id: "registered", kim.id: "waitlisted"}
    [event] = _events("session.cancelled")
    assert event.reason == "The trainer is ill."
    assert (event.details["registered"], event.details["waitlisted"]) == (1, 1)
    assert verify_chain().ok
    for learner, status in ((amina, "CANCELLED"), (kim, "CANCELLED")):
        assert notice_kinds(learner) == [CANCELLED]
        [message] = queued_mails(learner)
        assert "Cancelled: Deviation investigation workshop" in str(message["Subject"])
        assert "Reason: The trainer is ill." in _text(message)
        calendar = calendar_file(message)
        assert calendar["METHOD"] == "CANCEL"
        [vevent] = calendar.walk("VEVENT")
        assert str(vevent["UID"]) == session.uid
        assert vevent["SEQUENCE"] == session.sequence
        assert vevent["STATUS"] == status
        assert str(vevent["ORGANIZER"]).startswith("mailto:")
    assert "waitlist ends" in _text(queued_mails(kim)[0])


def test_a_cancelled_session_refuses_registration_attendance_and_change(
        gxp: Gxp, make_user, clock: FrozenClock) -> None:
    from app.learning.services import enrol

    session = _full(gxp, clock)
    amina = gxp.learners[0]
    cancel_session(gxp.instructor, session, "The trainer is ill.", clock())
    newcomer = make_user("sara@example.org")
    enrol(newcomer, gxp.course, clock())
    for refused in (lambda: register_for_session(newcomer, session, clock()),
                    lambda: cancel_registration(amina, session, clock()),
                    lambda: record_attendance(gxp.instructor, session,
                                              {amina.id: Mark("present")}, SOON),
                    lambda: change_session(gxp.instructor, session,
                                           _plan(gxp, session, capacity=9), clock()),
                    lambda: cancel_session(gxp.instructor, session, "Again", clock())):
        with pytest.raises(DomainError) as error:
            refused()
        assert "cancelled" in error.value.message
    assert len(_events("session.cancelled")) == 1 and _events("session.changed") == []


def test_an_ended_session_can_no_longer_be_changed_or_cancelled(gxp: Gxp) -> None:
    session = gxp.schedule(gxp.workshop, SOON, hours=2)
    after = SOON + timedelta(hours=2)
    with pytest.raises(DomainError, match="has ended"):
        change_session(gxp.instructor, session, _plan(gxp, session, capacity=9), after)
    with pytest.raises(DomainError, match="has ended"):
        cancel_session(gxp.instructor, session, "Too late", after)
    # Under way, it still can: a session moved to another room after it began.
    during = SOON + timedelta(hours=1)
    assert change_session(gxp.instructor, session, _plan(gxp, session, location="Room 9"),
                          during).told == 0


def test_the_reminders_skip_a_cancelled_session(gxp: Gxp, clock: FrozenClock) -> None:
    session = _full(gxp, clock)
    kept = gxp.schedule(gxp.workshop, SOON + timedelta(minutes=30))
    register_for_session(gxp.learners[1], kept, clock())
    cancel_session(gxp.instructor, session, "The trainer is ill.", clock())
    db.session.commit()
    assert remind_sessions(SOON - timedelta(hours=23)) == 1  # Kim's, for the one kept
    assert notice_kinds(gxp.learners[0]) == [CANCELLED]


def test_a_rolled_back_change_leaves_no_notice(gxp: Gxp, clock: FrozenClock) -> None:
    session = _full(gxp, clock)
    db.session.commit()
    change_session(gxp.instructor, session, _plan(gxp, session, location="Room 9"), clock())
    db.session.rollback()
    assert db.session.scalar(select(Notification.id)) is None
    assert db.session.scalar(select(OutboxMessage.id)) is None
    assert _events("session.changed") == []
