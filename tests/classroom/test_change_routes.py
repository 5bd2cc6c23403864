"""Changing and cancelling a session through its pages: who may, the forms' errors, what the
session's page and the calendar feed show afterwards, and the page's statement budget."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.message import EmailMessage

from flask import Flask
from icalendar import Calendar, Event
from sqlalchemy import select

from app.classroom.models import CalendarFeed, ClassSession
from app.classroom.services import calendar_feed, register_for_session
from app.core.roles import Role
from app.extensions import db
from app.learning.services import assign_staff
from app.notifications.models import Notification
from tests.blended import Gxp
from tests.conftest import committed, count_queries, login

NINE_IN_SEOUL = datetime(2026, 3, 9, 0, 0, tzinfo=UTC)
FORM = {"date": "2026-03-10", "start": "14:00", "end": "16:00", "timezone": "Asia/Seoul",
        "capacity": "24", "location": "Seminar room 5", "join_url": ""}


def _form(gxp: Gxp, **values: object) -> dict[str, object]:
    return {**FORM, "facilitator": gxp.instructor.id, **values}


def test_only_the_courses_instructors_and_admins_change_or_cancel(client, gxp: Gxp,
                                                                  make_user, clock) -> None:
    session = gxp.schedule(gxp.workshop, NINE_IN_SEOUL)
    assessor = make_user("abel@example.org", roles=(Role.ASSESSOR,))
    assign_staff(gxp.admin, gxp.course, assessor, "assessor", clock())
    register_for_session(gxp.learners[0], session, clock())
    db.session.commit()
    for user in (gxp.learners[0], assessor, gxp.outsider):
        login(client, user.email)
        page = client.get(f"/classroom/{session.id}/")
        assert page.status_code == 200 and b"Cancel session" not in page.data, user.email
        assert client.get(f"/classroom/{session.id}/change").status_code == 403
        assert client.post(f"/classroom/{session.id}/change",
                           data=_form(gxp)).status_code == 403
        assert client.get(f"/classroom/{session.id}/cancel-session").status_code == 403
        assert client.post(f"/classroom/{session.id}/cancel-session",
                           data={"reason": "No"}).status_code == 403
        client.post("/auth/logout")
    assert committed(select(ClassSession.cancelled_at)) is None
    assert committed(select(ClassSession.location)) == "Training cleanroom B"
    login(client, gxp.admin.email)
    page = client.get(f"/classroom/{session.id}/")
    assert b"Change</a>" in page.data and b"Cancel session</a>" in page.data


def test_changing_shows_every_problem_at_once_then_changes_and_tells(client, gxp: Gxp,
                                                                     clock) -> None:
    session = gxp.schedule(gxp.workshop, NINE_IN_SEOUL, capacity=3)
    amina, kim = gxp.learners
    for learner in gxp.learners:
        register_for_session(learner, session, clock())
    db.session.commit()
    login(client, gxp.instructor.email)
    page = client.get(f"/classroom/{session.id}/change").get_data(as_text=True)
    # The session as it stands, on the clock of where it takes place.
    assert 'value="2026-03-09"' in page and 'value="09:00"' in page and 'value="11:00"' in page
    assert 'value="Training cleanroom B"' in page and 'name="module"' not in page
    bad = client.post(f"/classroom/{session.id}/change",
                      data=_form(gxp, end="13:00", capacity="1", location=""))
    text = bad.get_data(as_text=True)
    assert bad.status_code == 200
    for field, message in (("end", "The session must end after it starts."),
                           ("capacity", "2 learners hold a seat: give at least 2 seats."),
                           ("location", "Give the room or place of the session.")):
        assert re.search(rf'<p class="field-error" id="{field}-error">{re.escape(message)}',
                         text), field
    assert committed(select(ClassSession.sequence)) == 0
    done = client.post(f"/classroom/{session.id}/change", data=_form(gxp),
                       follow_redirects=True)
    assert b"The session is changed, and 2 learners are told." in done.data
    assert b"Seminar room 5" in done.data
    assert committed(select(ClassSession.sequence)) == 1
    for learner in (amina, kim):
        kinds = committed(select(Notification.kind).where(Notification.user_id == learner.id))
        assert kinds == "classroom.session_changed"
    again = client.post(f"/classroom/{session.id}/change", data=_form(gxp),
                        follow_redirects=True)
    assert b"Nothing was changed." in again.data


def test_cancelling_needs_a_reason_and_the_page_then_says_so(client, gxp: Gxp, clock) -> None:
    session = gxp.schedule(gxp.workshop, NINE_IN_SEOUL)
    amina = gxp.learners[0]
    register_for_session(amina, session, clock())
    db.session.commit()
    login(client, gxp.instructor.email)
    form = client.get(f"/classroom/{session.id}/cancel-session").get_data(as_text=True)
    assert "1 learner holds a seat" in form
    empty = client.post(f"/classroom/{session.id}/cancel-session", data={"reason": " "})
    assert empty.status_code == 200
    assert b'id="reason-error">Give the reason: the learners read it.' in empty.data
    assert committed(select(ClassSession.cancelled_at)) is None
    done = client.post(f"/classroom/{session.id}/cancel-session",
                       data={"reason": "The cleanroom failed its monitoring."},
                       follow_redirects=True)
    page = done.get_data(as_text=True)
    assert "The session is cancelled, and 1 learner is told." in page
    assert "This session is cancelled." in page
    assert "Reason: The cleanroom failed its monitoring." in page
    assert "Cancel session</a>" not in page and "Change</a>" not in page
    # Its pages of change turn the instructor back; the learner's page offers nothing.
    assert client.get(f"/classroom/{session.id}/change").status_code == 302
    assert client.get(f"/classroom/{session.id}/cancel-session").status_code == 302
    listing = client.get(f"/classroom/courses/{gxp.course.slug}/").get_data(as_text=True)
    assert "Cancelled</span>" in listing
    client.post("/auth/logout")
    login(client, amina.email)
    page = client.get(f"/classroom/{session.id}/").get_data(as_text=True)
    assert "This session is cancelled." in page and "Give up my seat" not in page
    assert "Cancelled</span>" in client.get("/learning/dashboard").get_data(as_text=True)
    refused = client.post(f"/classroom/{session.id}/register", follow_redirects=True)
    assert b"This session is cancelled." in refused.data


def test_the_feed_carries_the_sequence_and_the_cancellation(client, gxp: Gxp, clock) -> None:
    """The feed's event and the notices' are the same: UID, SEQUENCE, and STATUS:CANCELLED."""
    import email
    import email.policy

    from app.mail.models import OutboxMessage

    session = gxp.schedule(gxp.workshop, NINE_IN_SEOUL)
    amina = gxp.learners[0]
    register_for_session(amina, session, clock())
    token = calendar_feed(amina, clock()).token
    db.session.commit()

    def feed_event() -> Event:
        [event] = Calendar.from_ical(client.get(f"/classroom/feed/{token}.ics").data
                                     ).walk("VEVENT")
        assert isinstance(event, Event)
        return event

    assert feed_event()["SEQUENCE"] == 0
    login(client, gxp.instructor.email)
    client.post(f"/classroom/{session.id}/change", data=_form(gxp))
    client.post(f"/classroom/{session.id}/cancel-session", data={"reason": "Flooded."})
    client.post("/auth/logout")
    event = feed_event()
    assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 2
    mails = [email.message_from_bytes(row, policy=email.policy.default)
             for row in db.session.scalars(select(OutboxMessage.message).where(
                 OutboxMessage.user_id == amina.id).order_by(OutboxMessage.id))]
    attached = []
    for message in mails:
        assert isinstance(message, EmailMessage)
        [part] = [p for p in message.iter_attachments()
                  if p.get_content_type() == "text/calendar"]
        body = part.get_payload(decode=True)
        assert isinstance(body, bytes)
        calendar = Calendar.from_ical(body)
        attached.append((str(calendar["METHOD"]), *[
            (str(e["UID"]), e["SEQUENCE"]) for e in calendar.walk("VEVENT")]))
    uid = str(event["UID"])
    assert attached == [("PUBLISH", (uid, 1)), ("CANCEL", (uid, 2))]
    assert db.session.scalar(select(CalendarFeed.token)) == token


def test_change_and_cancel_refuse_a_post_without_its_token(make_app, gxp: Gxp) -> None:
    session = gxp.schedule(gxp.workshop, NINE_IN_SEOUL)
    db.session.commit()
    guarded: Flask = make_app(WTF_CSRF_ENABLED=True)
    client = guarded.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    client.post("/auth/login", data={"email": gxp.instructor.email,
                                     "password": "a long enough passphrase",
                                     "csrf_token": token.group(1)})
    for path, data in (("change", _form(gxp)), ("cancel-session", {"reason": "Flooded."})):
        answer = client.post(f"/classroom/{session.id}/{path}", data=data)
        assert answer.status_code == 400 and b"CSRF token is missing" in answer.data
    assert committed(select(ClassSession.sequence)) == 0
    assert committed(select(ClassSession.cancelled_at)) is None


def test_the_session_page_stays_within_its_statement_budget(client, gxp: Gxp, make_user,
                                                            clock) -> None:
    """However many hold a seat or wait, and for the staff who may change it too."""
    from app.learning.services import enrol

    session = gxp.schedule(gxp.workshop, NINE_IN_SEOUL, capacity=10)
    for n in range(15):
        learner = make_user(f"learner{n}@example.org")
        enrol(learner, gxp.course, clock())
        register_for_session(learner, session, clock())
    register_for_session(gxp.learners[0], session, clock())
    db.session.commit()
    budgets = {}
    for user in (gxp.learners[0], gxp.instructor):
        login(client, user.email)
        client.get(f"/classroom/{session.id}/")
        with count_queries() as statements:
            assert client.get(f"/classroom/{session.id}/").status_code == 200
        budgets[user.email] = len(statements)
        client.post("/auth/logout")
    assert max(budgets.values()) <= 8, budgets
