"""Retrying failed mail: an administrator puts a failed message back to be sent, alone or all
at once; it keeps its last error until it is sent, is sent once, and each retry is an audit
event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from flask import Flask
from sqlalchemy import select, update

from app.auth.models import User
from app.core.errors import NotFound, PermissionDenied, ValidationError
from app.extensions import db
from app.mail.models import OutboxMessage
from app.mail.outbox import MAIL_QUEUED, queue_mail, send_due
from app.mail.render import RenderedMail
from app.mail.services import retry_failed, retry_message
from app.records.models import Event
from app.records.services import verify_chain
from tests.conftest import count_queries, login, smtp_settings
from tests.smtp import SmtpServer

ERROR = "SMTPRecipientsRefused: {'amina@example.org': (550, b'No such user')}"


def _queue(to: User, now: datetime, subject: str = "Your results") -> OutboxMessage:
    rendered = RenderedMail(subject=subject, text="Hello.\n", html="<p>Hello.</p>",
                            language="en")
    return queue_mail(to=to.email, rendered=rendered, kind="test.probe", user_id=to.id,
                      now=now)


def _fail(message: OutboxMessage, attempts: int = 8, error: str = ERROR) -> None:
    """Mark a queued message as the worker does after its last try."""
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == message.id).values(
        status="failed", attempts=attempts, last_error=error))
    db.session.commit()


def _row(message_id: int) -> OutboxMessage:
    db.session.commit()  # read what was committed, the requests' and workers' writes too
    row = db.session.get(OutboxMessage, message_id)
    assert row is not None
    db.session.refresh(row)
    return row


def _events() -> list[Event]:
    return list(db.session.scalars(select(Event).where(Event.action == "mail.retried")
                                   .order_by(Event.seq)))


@pytest.fixture
def failed(people, clock) -> list[OutboxMessage]:
    """Two failed messages (to Amina, to Kim), one waiting and one sent."""
    messages = [_queue(people[name], clock()) for name in ("amina", "kim", "amina", "kim")]
    db.session.commit()
    for message in messages[:2]:
        _fail(message)
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == messages[3].id)
                       .values(status="sent", sent_at=clock(), attempts=1))
    db.session.commit()
    return messages


# --- the service ------------------------------------------------------------------------------

def test_a_retried_message_waits_again_due_now_with_fresh_tries_and_its_last_error(
        app, people, failed, clock) -> None:
    woken: list[bool] = []
    MAIL_QUEUED.add(app, lambda: woken.append(True))
    later = clock.advance(hours=3)
    retry_message(people["grace"], failed[0].id, later)
    db.session.commit()
    row = _row(failed[0].id)
    assert (row.status, row.due_at, row.attempts, row.last_error) == (
        "pending", later, 0, ERROR)
    assert (row.claim_token, row.lease_until) == (None, None)
    assert _row(failed[1].id).status == "failed"  # only the one asked for
    assert woken == [True]  # the commit wakes a worker, as for new mail
    [event] = _events()
    assert (event.actor_id, event.subject_type, event.subject_id) == (
        people["grace"].id, "outbox_message", str(failed[0].id))
    assert event.details == {"kind": "test.probe"} and event.occurred_at == later
    assert "amina@example.org" not in str(event.details)  # no address in the audit chain
    assert verify_chain().ok


def test_only_a_failed_message_can_be_retried(app, people, failed, clock) -> None:
    grace = people["grace"]
    for waiting_or_sent in failed[2:]:
        with pytest.raises(ValidationError, match="has not failed"):
            retry_message(grace, waiting_or_sent.id, clock())
    retry_message(grace, failed[0].id, clock())
    with pytest.raises(ValidationError):  # a second retry finds it waiting already
        retry_message(grace, failed[0].id, clock())
    with pytest.raises(NotFound):
        retry_message(grace, 999_999, clock())
    db.session.commit()
    assert len(_events()) == 1
    assert [_row(m.id).status for m in failed] == ["pending", "failed", "pending", "sent"]


@pytest.mark.parametrize("who", ["amina", "ivan"])
def test_only_administrators_may_retry(app, people, failed, clock, who: str) -> None:
    with pytest.raises(PermissionDenied):
        retry_message(people[who], failed[0].id, clock())
    with pytest.raises(PermissionDenied):
        retry_failed(people[who], clock())


def test_retry_all_puts_back_every_failed_message_and_only_those(app, people, failed,
                                                                  clock) -> None:
    assert retry_failed(people["grace"], clock()) == 2
    db.session.commit()
    assert [_row(m.id).status for m in failed] == ["pending", "pending", "pending", "sent"]
    assert sorted(int(e.subject_id) for e in _events()) == [failed[0].id, failed[1].id]
    assert retry_failed(people["grace"], clock()) == 0  # nothing failed any more


def test_a_retried_message_is_sent_once_by_the_worker(
        make_app: Callable[..., Flask], smtp_server: SmtpServer, people, clock) -> None:
    app = make_app(**smtp_settings(smtp_server, MAIL_MAX_ATTEMPTS=1))
    with app.app_context():
        message_id = _queue(people["amina"], clock()).id
        db.session.commit()
        smtp_server.stop()
        assert send_due(clock()).failed == 1
        row = _row(message_id)
        assert row.status == "failed" and "ConnectionRefusedError" in row.last_error
        smtp_server.start()
        retry_message(people["grace"], message_id, clock.advance(minutes=5))
        db.session.commit()
        sent_at = clock()
        report = send_due(sent_at)
        assert (report.sent, report.retried, report.failed) == (1, 0, 0)
        assert send_due(clock.advance(hours=1)).claimed == 0
        row = _row(message_id)
        assert (row.status, row.attempts, row.last_error, row.sent_at) == (
            "sent", 1, "", sent_at)
        [received] = smtp_server.messages
        assert received.recipients == ("amina@example.org",)
        db.session.remove()


# --- the pages --------------------------------------------------------------------------------

def test_an_administrator_retries_one_message_from_the_outbox_page(client, people, failed,
                                                                   clock) -> None:
    login(client, "grace@example.org")
    page = client.get("/mail/outbox").get_data(as_text=True)
    assert f'action="/mail/outbox/{failed[0].id}/retry"' in page
    assert 'action="/mail/outbox/retry-failed"' in page
    assert "Waiting to be tried again" not in page  # nothing waits after an error yet
    response = client.post(f"/mail/outbox/{failed[0].id}/retry")
    assert response.status_code == 302 and response.headers["Location"] == "/mail/outbox"
    page = client.get("/mail/outbox").get_data(as_text=True)
    assert "The message will be tried again within a minute." in page
    assert _row(failed[0].id).status == "pending"
    # No longer among the failed, but listed as waiting, its last error kept in sight.
    failed_part, _, waiting_part = page.partition("Waiting to be tried again")
    assert f"/mail/outbox/{failed[0].id}/retry" not in failed_part
    assert f"/mail/outbox/{failed[1].id}/retry" in failed_part
    assert "No such user" in waiting_part and "amina@example.org" in waiting_part


def test_retrying_a_message_that_has_not_failed_is_refused_with_the_reason(
        client, people, failed) -> None:
    login(client, "grace@example.org")
    for message in failed[2:]:
        response = client.post(f"/mail/outbox/{message.id}/retry", follow_redirects=True)
        assert response.status_code == 200
        assert "This message has not failed" in response.get_data(as_text=True)
    assert [_row(m.id).status for m in failed[2:]] == ["pending", "sent"]
    assert client.post("/mail/outbox/999999/retry").status_code == 404
    assert _events() == []


def test_an_administrator_retries_all_failed_messages(client, people, failed) -> None:
    login(client, "grace@example.org")
    response = client.post("/mail/outbox/retry-failed", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "2 failed messages will be tried again within a minute." in page
    assert "No message has failed." in page
    assert [_row(m.id).status for m in failed] == ["pending", "pending", "pending", "sent"]
    again = client.post("/mail/outbox/retry-failed", follow_redirects=True)
    assert "No message had failed." in again.get_data(as_text=True)
    assert len(_events()) == 2


@pytest.mark.parametrize("who", ["amina", "ivan"])
def test_only_administrators_retry_from_the_page(client, people, failed, who: str) -> None:
    login(client, f"{who}@example.org")
    assert client.post(f"/mail/outbox/{failed[0].id}/retry").status_code == 403
    assert client.post("/mail/outbox/retry-failed").status_code == 403
    assert _row(failed[0].id).status == "failed" and _events() == []
    assert client.get(f"/mail/outbox/{failed[0].id}/retry").status_code == 405


def test_the_outbox_page_is_bounded_in_statements(client, people, clock) -> None:
    for n in range(30):
        message = _queue(people["amina" if n % 2 else "kim"], clock(), subject=f"M{n}")
        db.session.commit()
        if n % 3:
            _fail(message)
        else:
            db.session.execute(update(OutboxMessage).where(OutboxMessage.id == message.id)
                               .values(last_error="TimeoutError: timed out"))
            db.session.commit()
    login(client, "grace@example.org")
    client.get("/mail/outbox")
    with count_queries() as statements:
        page = client.get("/mail/outbox").get_data(as_text=True)
    assert page.count("/retry\"") == 20 and page.count("TimeoutError") == 10
    # The counts, the failed and the waiting: one statement each, whatever their number.
    assert len(statements) == 3, statements
