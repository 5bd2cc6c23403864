"""The outbox: mail queued with the change that causes it, sent once by the worker through a
real SMTP server, kept while the server is down, failed after its last try."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.ctx import AppContext
from icalendar import Calendar, Event
from sqlalchemy import func, select

from app.auth.models import User
from app.core.roles import Role
from app.extensions import db
from app.mail.models import OutboxMessage
from app.mail.outbox import (
    LEASE,
    MAIL_FAILED,
    MAIL_QUEUED,
    Attachment,
    FailedMail,
    claim_due,
    queue_mail,
    retry_delay,
    send_due,
)
from app.mail.render import render_mail
from tests.conftest import FrozenClock, committed, login, smtp_settings
from tests.parallel import in_parallel
from tests.smtp import SmtpServer


@pytest.fixture
def smtp_app(app: Flask, make_app: Callable[..., Flask], smtp_server: SmtpServer,
             with_probe_templates: Callable[[Flask], Flask]) -> Iterator[Callable[..., Flask]]:
    """An app that sends through the test's SMTP server, in an app context of its own
    (pushed over the `app` fixture's, and popped before it)."""

    def build(**extra: object) -> Flask:
        app = with_probe_templates(make_app(**smtp_settings(smtp_server, **extra)))
        context = app.app_context()
        context.push()
        apps.append(context)
        return app

    apps: list[AppContext] = []
    yield build
    for context in reversed(apps):
        context.pop()


def queue_probe(user: User, now: datetime, *, attachments: tuple[Attachment, ...] = (),
                kind: str = "test.probe") -> OutboxMessage:
    rendered = render_mail("probe", language=user.language, timezone=user.timezone,
                           name=user.name, moment=now)
    return queue_mail(to=user.email, rendered=rendered, kind=kind, user_id=user.id, now=now,
                      attachments=attachments)


def invitation(now: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//TrainHub//Tests//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", "session-1@trainhub.test")
    event.add("dtstamp", now)
    event.add("dtstart", now + timedelta(days=1))
    event.add("dtend", now + timedelta(days=1, hours=2))
    event.add("summary", "Aseptic gowning")
    calendar.add_component(event)
    return calendar.to_ical()


def statuses() -> list[tuple[str, int]]:
    """Each message's state and tries, as committed (the workers' own sessions wrote them)."""
    db.session.commit()
    return [(row.status, row.attempts) for row in db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id))]


def test_queued_mail_is_sent_once_with_text_html_and_an_ics(
        smtp_app, smtp_server: SmtpServer, make_user, clock: FrozenClock) -> None:
    smtp_app()
    amina = make_user("amina@example.org", name="Amina Yusuf")
    queue_probe(amina, clock(), attachments=(
        Attachment("session.ics", invitation(clock()), "text/calendar"),))
    db.session.commit()
    assert smtp_server.messages == []  # nothing is sent from the change's transaction

    report = send_due(clock())
    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    assert send_due(clock()).claimed == 0
    [received] = smtp_server.messages
    assert received.recipients == ("amina@example.org",)
    message = received.parsed()
    assert message["Subject"] == "Accounts: Amina Yusuf"
    assert message["To"] == "amina@example.org"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and "Hello Amina Yusuf." in text.get_content()
    assert html is not None and "<p>Hello Amina Yusuf.</p>" in html.get_content()
    assert "<img" not in html.get_content()
    [ics] = list(message.iter_attachments())
    assert ics.get_content_type() == "text/calendar"
    assert ics.get_filename() == "session.ics"
    parsed = Calendar.from_ical(ics.get_content())
    [event] = parsed.walk("VEVENT")
    assert str(event["summary"]) == "Aseptic gowning"
    assert event.decoded("dtstart") == clock() + timedelta(days=1)
    row = db.session.scalars(select(OutboxMessage)).one()
    assert (row.status, row.attempts, row.sent_at) == ("sent", 1, clock())


def test_no_mail_for_a_change_that_rolls_back(smtp_app, smtp_server: SmtpServer, make_user,
                                              clock: FrozenClock) -> None:
    app = smtp_app()
    woken: list[bool] = []
    MAIL_QUEUED.add(app, lambda: woken.append(True))
    amina = make_user("amina@example.org")
    queue_probe(amina, clock())
    db.session.rollback()
    db.session.commit()  # a later commit of something else wakes nobody for it
    assert committed(select(func.count()).select_from(OutboxMessage)) == 0
    assert send_due(clock()).claimed == 0
    assert smtp_server.messages == [] and woken == []
    queue_probe(amina, clock())
    db.session.commit()
    assert woken == [True]  # the commit that queued wakes a worker, once


def test_mail_waits_while_the_server_is_down_and_goes_out_once_with_two_workers(
        smtp_app, smtp_server: SmtpServer, make_user, clock: FrozenClock) -> None:
    app = smtp_app()
    people = [make_user(f"trainee{n}@example.org") for n in range(6)]
    for person in people:
        queue_probe(person, clock())
    db.session.commit()
    smtp_server.stop()

    first = send_due(clock())
    assert (first.sent, first.retried, first.failed) == (0, 6, 0)
    assert statuses() == [("pending", 1)] * 6
    due = set(db.session.scalars(select(OutboxMessage.due_at)))
    assert due == {clock() + retry_delay(1)} == {clock() + timedelta(minutes=1)}
    assert all("ConnectionRefusedError" in error
               for error in db.session.scalars(select(OutboxMessage.last_error)))
    assert send_due(clock()).claimed == 0  # not due yet
    clock.advance(minutes=1)
    assert send_due(clock()).retried == 6
    assert statuses() == [("pending", 2)] * 6
    assert set(db.session.scalars(select(OutboxMessage.due_at))) == {
        clock() + timedelta(minutes=2)}

    smtp_server.start()
    clock.advance(minutes=2)
    now = clock()

    def worker() -> int:
        sent = 0
        while (report := send_due(now, limit=2)).claimed:
            sent += report.sent
        return sent

    assert sum(in_parallel(app, worker)) == 6
    received = smtp_server.messages
    assert sorted(r.recipients[0] for r in received) == sorted(p.email for p in people)
    assert len({r.parsed()["Message-ID"] for r in received}) == 6
    assert statuses() == [("sent", 3)] * 6


def test_a_claim_left_by_a_killed_worker_is_taken_again_after_its_lease(
        smtp_app, smtp_server: SmtpServer, make_user, clock: FrozenClock) -> None:
    smtp_app()
    queue_probe(make_user("amina@example.org"), clock())
    db.session.commit()
    _, claimed = claim_due(clock())  # a worker claims it, then dies before sending
    assert len(claimed) == 1
    assert send_due(clock() + LEASE - timedelta(seconds=1)).claimed == 0
    assert send_due(clock() + LEASE).sent == 1
    assert statuses() == [("sent", 2)]
    assert len(smtp_server.messages) == 1


def test_after_the_last_try_a_message_is_failed_listed_and_the_hook_told(
        smtp_app, smtp_server: SmtpServer, make_user, clock: FrozenClock) -> None:
    app = smtp_app(MAIL_MAX_ATTEMPTS=3)
    told: list[tuple[FailedMail, datetime]] = []
    MAIL_FAILED.add(app, lambda failure, now: told.append((failure, now)))
    smtp_server.stop()
    make_user("grace@example.org", name="Grace Admin", roles=(Role.ADMIN,))
    amina = make_user("amina@example.org")
    row_id = queue_probe(amina, clock(), kind="test.reminder").id
    db.session.commit()
    for expected in ((1, 0), (1, 0), (0, 1)):
        report = send_due(clock())
        assert (report.retried, report.failed) == expected
        clock.advance(hours=1)
    assert statuses() == [("failed", 3)]
    assert send_due(clock()).claimed == 0
    [(failure, when)] = told
    assert (failure.id, failure.kind, failure.recipient, failure.user_id, failure.attempts) == (
        row_id, "test.reminder", "amina@example.org", amina.id, 3)
    assert "ConnectionRefusedError" in failure.last_error
    assert when == clock() - timedelta(hours=1)

    client = app.test_client()
    login(client, "grace@example.org")
    page = client.get("/mail/outbox").get_data(as_text=True)
    assert "amina@example.org" in page and "test.reminder" in page
    assert "ConnectionRefusedError" in page
    assert "Read the messages written" not in page  # a server is configured


def test_retries_back_off_to_an_hour() -> None:
    assert [retry_delay(n).total_seconds() / 60 for n in range(1, 9)] == [
        1, 2, 4, 8, 16, 32, 60, 60]


def test_mail_is_rendered_in_the_recipients_language_and_time_zone_with_site_links(
        make_app, with_probe_templates, make_user, clock: FrozenClock) -> None:
    app = with_probe_templates(make_app(SERVER_NAME="lms.example.org",
                                        PREFERRED_URL_SCHEME="https"))
    moment = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with app.app_context():
        french = render_mail("probe", language="fr", timezone="Asia/Seoul", name="Kim",
                             moment=moment)
        unknown = render_mail("probe", language=None, timezone=None, name="Kim", moment=moment)
    assert french.subject == "Comptes : Kim" or french.subject == "Comptes: Kim"
    assert french.language == "fr" and unknown.language == "en"
    assert "18:00" in french.text and "(Asia/Seoul)" in french.text
    assert "09:00" in unknown.text and "(UTC)" in unknown.text
    assert "https://lms.example.org/catalog/" in french.text
    assert 'href="https://lms.example.org/catalog/"' in french.html
    assert '<html lang="fr" dir="ltr">' in french.html
    # From a request to another host too: links come from SERVER_NAME, not the Host header.
    with app.test_request_context("/", base_url="http://10.0.0.5:8000"):
        inside = render_mail("probe", language="ar", timezone="UTC", name="Kim",
                             moment=moment)
    assert "https://lms.example.org/catalog/" in inside.text
    assert 'dir="rtl"' in inside.html
    # SERVER_NAME leaves the test client (and so the site) answering as before.
    assert app.test_client().get("/").status_code == 200
