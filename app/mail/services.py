"""What an administrator does to the outbox: put a failed message back to be sent again.

A retried message waits again, due at once, with its tries counted from nought, so that the
worker gives it MAIL_MAX_ATTEMPTS fresh tries with the usual backoff; its last error stays
on it (and on the outbox page) until it is sent. The change is one conditional UPDATE on
`status = 'failed'`, so a message two administrators retry at once is put back once, and
each message put back is an audit event (`mail.retried`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, select, update

from app.core.auth import authorize
from app.core.errors import NotFound, ValidationError
from app.core.roles import Role
from app.extensions import db
from app.mail.models import OutboxMessage
from app.mail.outbox import QUEUED
from app.records.services import record_event


class Administrator(Protocol):
    id: int
    name: str

    def has_role(self, role: Role) -> bool: ...


def may_retry_mail(actor: Administrator, _message: object) -> bool:
    return actor.has_role(Role.ADMIN)


def retry_message(actor: Administrator, message_id: int, now: datetime) -> None:
    """Put one failed message back to be sent at once. NotFound for no such message; a
    ValidationError for one that has not failed (waiting, being sent, or sent)."""
    authorize(actor, "mail.retry")
    found = select(OutboxMessage.id).where(OutboxMessage.id == message_id)
    if db.session.scalar(found) is None:
        raise NotFound(_l("There is no such message in the outbox."))
    if not _retry(actor, OutboxMessage.id == message_id, now):
        raise ValidationError(_l("This message has not failed, so there is nothing to try "
                                 "again: it is waiting to be sent, or was sent."))


def retry_failed(actor: Administrator, now: datetime) -> int:
    """Put every failed message back to be sent at once; how many."""
    authorize(actor, "mail.retry")
    return _retry(actor, None, now)


def _retry(actor: Administrator, which: ColumnElement[bool] | None, now: datetime) -> int:
    failed = OutboxMessage.status == "failed"
    retried = db.session.execute(
        update(OutboxMessage).where(failed if which is None else failed & which)
        .values(status="pending", due_at=now, attempts=0, claim_token=None, lease_until=None)
        .returning(OutboxMessage.id, OutboxMessage.kind)
        .execution_options(synchronize_session=False)).all()
    if retried:
        db.session.info[QUEUED] = True  # its commit wakes a worker, as queue_mail's does
    for row in sorted(retried, key=lambda row: row.id):
        record_event("mail.retried", actor=actor, now=now, subject_type="outbox_message",
                     subject_id=row.id, details={"kind": row.kind})
    return len(retried)
