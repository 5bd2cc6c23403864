"""The durable outbox: mail is queued in the caller's transaction and sent by a worker.

`queue_mail` only adds a row to the session, so a message exists exactly when the change
that caused it is committed: none for a rolled-back change, none lost for a committed one.
`send_due` is the worker's side. It claims due messages with one conditional UPDATE (`status
= 'pending' AND due_at <= now`, or a claim whose lease has run out), which only one claimer
can win, on SQLite (writers are serialized) as on PostgreSQL (the losing UPDATE re-reads the
row and no longer matches; `SKIP LOCKED` lets a second worker take other rows meanwhile).
It commits the claim before talking to the server, and each outcome as soon as it is known,
so a message that the server accepted is never sent again by another worker. The one window
left is a worker killed between the server's acceptance and that commit: its message is
claimed again once the lease runs out, and goes out a second time (at least once, never
lost).
"""

from __future__ import annotations

import secrets
import smtplib
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime, make_msgid

from flask import current_app
from flask_mailman import EmailMessage, EmailMultiAlternatives
from sqlalchemy import ColumnElement, and_, or_, select, update

from app.core.registry import Hooks
from app.extensions import db, mailman
from app.mail.models import OutboxMessage
from app.mail.render import RenderedMail

# How long a claim holds before another worker may take the message again: longer than a
# batch can take to send (MAIL_TIMEOUT per exchange).
LEASE = timedelta(minutes=10)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
BATCH = 50
# The session's info key that says "this transaction queued mail" (see `init_outbox`).
QUEUED = "mail.queued"


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message: an invitation's .ics (`text/calendar; method=REQUEST`)."""

    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class FailedMail:
    """What the failed-mail hooks are told of a message that will not be tried again."""

    id: int
    kind: str
    recipient: str
    user_id: int | None
    subject: str
    attempts: int
    last_error: str


# Called, in the worker's transaction, for each message marked failed: part C notifies the
# staff. A hook that raises rolls the failure mark back with it (the message is retried).
MAIL_FAILED: Hooks[Callable[[FailedMail, datetime], None]] = Hooks("mail failed hooks")
# Called after each commit that queued mail, to wake a worker (the jobs feature enqueues
# the send task); a hook must not touch the database session that committed.
MAIL_QUEUED: Hooks[Callable[[], None]] = Hooks("mail queued hooks")


@dataclass(frozen=True)
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def claimed(self) -> int:
        return self.sent + self.retried + self.failed


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed try: 1, 2, 4, 8... minutes, at most an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def queue_mail(*, to: str, rendered: RenderedMail, kind: str, now: datetime,
               user_id: int | None = None, attachments: Iterable[Attachment] = (),
               headers: dict[str, str] | None = None) -> OutboxMessage:
    """Build the whole MIME message (text and HTML parts, attachments, extra headers such as
    List-Unsubscribe) and add it to the outbox in the caller's transaction. Nothing is sent
    here; the row is flushed, never committed."""
    config = current_app.config
    sender = str(config["MAIL_DEFAULT_SENDER"])
    domain = config.get("SERVER_NAME") or "trainhub.invalid"
    all_headers = {"Date": format_datetime(now), "Message-ID": make_msgid(domain=domain),
                   "Content-Language": rendered.language, "Auto-Submitted": "auto-generated",
                   **(headers or {})}
    message = EmailMultiAlternatives(subject=rendered.subject, body=rendered.text,
                                     from_email=sender, to=[to], headers=all_headers)
    message.attach_alternative(rendered.html, "text/html")
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    row = OutboxMessage(kind=kind, recipient=to, user_id=user_id,
                        subject=rendered.subject[:500], sender=sender,
                        message=message.message().as_bytes(linesep="\r\n"), status="pending",
                        attempts=0, created_at=now, due_at=now, last_error="")
    db.session.add(row)
    db.session.flush()
    db.session.info[QUEUED] = True
    return row


@dataclass(frozen=True)
class Claimed:
    """A message this worker won, read out of the session so that sending it holds no
    transaction open (SQLite's write lock is never held across the network)."""

    id: int
    kind: str
    recipient: str
    user_id: int | None
    subject: str
    sender: str
    message: bytes
    attempts: int


class _Bytes:
    """The stored MIME bytes (CRLF line ends already), where a backend asks the message for
    `as_bytes(linesep=...)`."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return self.data


class _Stored(EmailMessage):
    """A message from the outbox, handed to a Flask-Mailman connection as it was built."""

    def __init__(self, claimed: Claimed) -> None:
        super().__init__(from_email=claimed.sender, to=[claimed.recipient])
        self._stored = _Bytes(claimed.message)

    def message(self) -> _Bytes:
        return self._stored


def _due(now: datetime) -> ColumnElement[bool]:
    return or_(and_(OutboxMessage.status == "pending", OutboxMessage.due_at <= now),
               and_(OutboxMessage.status == "sending", OutboxMessage.lease_until <= now))


def claim_due(now: datetime, *, limit: int = BATCH) -> tuple[str, list[Claimed]]:
    """Claim up to `limit` due messages for this worker and commit the claim: its token and
    the messages it won, which no other claimer can win until the lease runs out."""
    token = secrets.token_hex(16)
    candidates = (select(OutboxMessage.id).where(_due(now))
                  .order_by(OutboxMessage.due_at, OutboxMessage.id).limit(limit)
                  .with_for_update(skip_locked=True).scalar_subquery())
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(candidates), _due(now))
        .values(status="sending", claim_token=token, lease_until=now + LEASE,
                attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False))
    db.session.commit()
    table = OutboxMessage.__table__
    rows = db.session.execute(
        select(table.c.id, table.c.kind, table.c.recipient, table.c.user_id, table.c.subject,
               table.c.sender, table.c.message, table.c.attempts)
        .where(table.c.claim_token == token, table.c.status == "sending")
        .order_by(table.c.id)).mappings().all()
    db.session.commit()
    return token, [Claimed(**row) for row in rows]


def send_due(now: datetime, *, limit: int = BATCH) -> SendReport:
    """The worker's task: claim what is due, send it through Flask-Mailman's connection,
    and settle each message (sent; or retried later with backoff; or failed after
    MAIL_MAX_ATTEMPTS). Commits as it goes, which is why it is not a service: the claim and
    each outcome must be durable before the next step."""
    token, claimed = claim_due(now, limit=limit)
    if not claimed:
        return SendReport()
    connection = mailman.get_connection()
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        return _settle_all(claimed, token, now, _describe(error))
    sent = retried = failed = 0
    try:
        for message in claimed:
            try:
                connection.send_messages([_Stored(message)])
            except (OSError, smtplib.SMTPException) as error:
                gave_up = _settle_failure(message, token, now, _describe(error),
                                          permanent=_permanent(error))
                failed, retried = failed + gave_up, retried + (not gave_up)
            else:
                _settle_sent(message, token, now)
                sent += 1
            db.session.commit()
    finally:
        # The messages are settled; a QUIT that fails changes none of them.
        with suppress(OSError, smtplib.SMTPException):
            connection.close()
    return SendReport(sent=sent, retried=retried, failed=failed)


def _settle_all(claimed: Sequence[Claimed], token: str, now: datetime,
                error: str) -> SendReport:
    failed = sum(_settle_failure(message, token, now, error, permanent=False)
                 for message in claimed)
    db.session.commit()
    return SendReport(retried=len(claimed) - failed, failed=failed)


def _mine(message: Claimed, token: str) -> ColumnElement[bool]:
    return and_(OutboxMessage.id == message.id, OutboxMessage.claim_token == token)


def _settle_sent(message: Claimed, token: str, now: datetime) -> None:
    db.session.execute(update(OutboxMessage).where(_mine(message, token)).values(
        status="sent", sent_at=now, claim_token=None, lease_until=None, last_error="")
        .execution_options(synchronize_session=False))


def _settle_failure(message: Claimed, token: str, now: datetime, error: str, *,
                    permanent: bool) -> bool:
    """Schedule the next try, or mark the message failed and tell the hooks; whether it
    failed for good."""
    gives_up = permanent or message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]
    values: dict[str, object] = {"claim_token": None, "lease_until": None,
                                 "last_error": error[:2000]}
    if gives_up:
        values["status"] = "failed"
    else:
        values.update(status="pending", due_at=now + retry_delay(message.attempts))
    result = db.session.execute(update(OutboxMessage).where(_mine(message, token))
                                .values(values).execution_options(synchronize_session=False))
    if gives_up and getattr(result, "rowcount", 0) == 1:
        failure = FailedMail(id=message.id, kind=message.kind, recipient=message.recipient,
                             user_id=message.user_id, subject=message.subject,
                             attempts=message.attempts, last_error=error[:2000])
        for hook in MAIL_FAILED.all():
            hook(failure, now)
    return gives_up


def _permanent(error: BaseException) -> bool:
    """The server refused every recipient for good (5xx): no retry will change that."""
    return isinstance(error, smtplib.SMTPRecipientsRefused) and all(
        code >= 500 for code, _ in error.recipients.values())


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"
