"""The classroom's notices: a seat granted from the waitlist, and the reminders a day and an
hour before a session, each with its calendar file; the reminders' windows and their one
claim, and one reminder through a real SMTP server."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select

from app.classroom.models import ClassSession, Registration
from app.classroom.notices import REMINDER, SEAT_GRANTED
from app.classroom.reminders import claim_reminder, remind_sessions
from app.classroom.rules import reminder_due
from app.classroom.services import cancel_registration, register_for_session
from app.core.db import write_intent
from app.extensions import db
from app.mail.outbox import send_due
from tests.blended import Gxp
from tests.classroom.mailbox import calendar_file, notice_kinds, queued_mails
from tests.conftest import FrozenClock, smtp_settings
from tests.smtp import SmtpServer

SOON = datetime(2026, 3, 9, 0, 0, tzinfo=UTC)  # a week after the test clock's start


def _registered(gxp: Gxp, clock: FrozenClock, *, capacity: int = 5) -> ClassSession:
    session = gxp.schedule(gxp.workshop, SOON, capacity=capacity)
    register_for_session(gxp.learners[0], session, clock())
    return session


def test_a_learner_promoted_from_the_waitlist_is_told_with_the_calendar_file(
        gxp: Gxp, clock: FrozenClock) -> None:
    session = gxp.schedule(gxp.workshop, SOON, capacity=1)
    first, second = gxp.learners[:2]
    register_for_session(first, session, clock())
    assert register_for_session(second, session, clock()).status == "waitlisted"
    assert notice_kinds(second) == []
    assert cancel_registration(first, session, clock()) == [second.id]
    assert notice_kinds(second) == [SEAT_GRANTED]
    assert notice_kinds(first) == []
    [message] = queued_mails(second)
    assert gxp.workshop.title in str(message["Subject"])
    assert message["List-Unsubscribe"]
    calendar = calendar_file(message)
    assert calendar["METHOD"] == "PUBLISH"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == session.uid  # the feed's entry, not a second one
    assert event["STATUS"] == "CONFIRMED"
    assert event.decoded("DTSTART") == SOON


def test_the_reminders_windows() -> None:
    assert reminder_due(SOON, SOON - timedelta(hours=25)) is None
    assert reminder_due(SOON, SOON - timedelta(hours=24)) == "day"
    assert reminder_due(SOON, SOON - timedelta(hours=1, minutes=1)) == "day"
    assert reminder_due(SOON, SOON - timedelta(hours=1)) == "hour"
    assert reminder_due(SOON, SOON - timedelta(minutes=1)) == "hour"
    assert reminder_due(SOON, SOON) is None


def test_a_registered_learner_is_reminded_a_day_and_an_hour_before_once_each(
        gxp: Gxp, clock: FrozenClock) -> None:
    session = _registered(gxp, clock)
    waiting = gxp.schedule(gxp.workshop, SOON + timedelta(days=3), capacity=1)
    register_for_session(gxp.learners[1], waiting, clock())
    db.session.commit()
    learner = gxp.learners[0]
    assert remind_sessions(SOON - timedelta(hours=25)) == 0
    assert remind_sessions(SOON - timedelta(hours=23, minutes=55)) == 1
    assert remind_sessions(SOON - timedelta(hours=23, minutes=50)) == 0  # once
    assert remind_sessions(SOON - timedelta(hours=2)) == 0
    assert remind_sessions(SOON - timedelta(minutes=55)) == 1
    assert remind_sessions(SOON - timedelta(minutes=50)) == 0
    assert remind_sessions(SOON + timedelta(minutes=5)) == 0
    assert notice_kinds(learner) == [REMINDER, REMINDER]
    day, hour = queued_mails(learner)
    assert "Coming up" in str(day["Subject"]) and "In an hour" in str(hour["Subject"])
    for message in (day, hour):
        [event] = calendar_file(message).walk("VEVENT")
        assert str(event["UID"]) == session.uid
    assert notice_kinds(gxp.learners[1]) == []  # a session three days on: nothing yet


def test_a_late_registration_gets_the_hour_reminder_only_and_a_cancelled_seat_none(
        gxp: Gxp, clock: FrozenClock) -> None:
    session = gxp.schedule(gxp.workshop, SOON, capacity=5)
    late, gone = gxp.learners[:2]
    register_for_session(gone, session, clock())
    cancel_registration(gone, session, clock())
    clock.current = SOON - timedelta(minutes=40)
    register_for_session(late, session, clock())
    db.session.commit()
    assert remind_sessions(clock()) == 1
    assert remind_sessions(clock.advance(minutes=5)) == 0
    registration = db.session.scalar(select(Registration).where(
        Registration.session_id == session.id, Registration.user_id == late.id))
    assert registration is not None
    assert registration.day_reminded_at is not None  # filled by the hour's claim
    assert notice_kinds(late) == [REMINDER] and notice_kinds(gone) == []


def test_a_reminder_is_claimed_once_even_by_two_workers(app: Flask, gxp: Gxp,
                                                        clock: FrozenClock) -> None:
    session = _registered(gxp, clock)
    db.session.commit()
    registration_id = db.session.scalar(select(Registration.id).where(
        Registration.session_id == session.id))
    assert registration_id is not None
    db.session.close()
    moment = SOON - timedelta(hours=20)
    won: list[bool] = []
    errors: list[BaseException] = []
    gate = threading.Barrier(2)

    def claim() -> None:
        try:
            with app.app_context():
                write_intent.set(True)  # as the worker's job
                gate.wait()
                won.append(claim_reminder(registration_id, "day", moment))
                db.session.commit()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(won) == [False, True]
    assert not claim_reminder(registration_id, "day", moment)
    assert claim_reminder(registration_id, "hour", SOON - timedelta(minutes=30))
    assert not claim_reminder(registration_id, "hour", SOON - timedelta(minutes=25))


def test_a_reminder_through_a_real_smtp_server(make_app: Callable[..., Flask], gxp: Gxp,
                                               smtp_server: SmtpServer,
                                               clock: FrozenClock) -> None:
    session = _registered(gxp, clock)
    db.session.commit()
    uid, address = session.uid, gxp.learners[0].email
    smtp = make_app(**smtp_settings(smtp_server))
    with smtp.app_context():
        write_intent.set(True)
        moment = SOON - timedelta(minutes=50)
        assert remind_sessions(moment) == 1
        db.session.commit()
        assert smtp_server.messages == []  # queued in the outbox, sent by the worker
        report = send_due(moment)
        assert report.sent == 1
    [received] = smtp_server.messages
    assert received.recipients == (address,)
    message = received.parsed()
    assert "In an hour" in str(message["Subject"])
    calendar = calendar_file(message)
    assert calendar["METHOD"] == "PUBLISH"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == uid
    assert event.decoded("DTSTART") == SOON
