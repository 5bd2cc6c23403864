"""What the administrator's outbox page reads, and the health check's outbox figure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.extensions import db
from app.mail.models import STATUSES, OutboxMessage


@dataclass(frozen=True)
class FailedRow:
    id: int
    kind: str
    recipient: str
    subject: str
    attempts: int
    last_error: str
    created_at: datetime


def outbox_counts() -> dict[str, int]:
    """How many messages are in each state, every state named (one statement)."""
    counts = dict.fromkeys(STATUSES, 0)
    for status, count in db.session.execute(select(OutboxMessage.status, func.count())
                                            .group_by(OutboxMessage.status)):
        counts[status] = count
    return counts


@dataclass(frozen=True)
class RetryingRow(FailedRow):
    due_at: datetime


def oldest_due(now: datetime) -> datetime | None:
    """When the oldest message due and not yet sent became due (one statement, on the
    status and due index): how far behind the sending worker is."""
    return db.session.scalar(select(func.min(OutboxMessage.due_at)).where(
        OutboxMessage.status.in_(("pending", "sending")), OutboxMessage.due_at <= now))


def failed_messages(limit: int = 100) -> list[FailedRow]:
    """The newest failed messages, with what went wrong the last time."""
    table = OutboxMessage.__table__
    rows = db.session.execute(
        select(table.c.id, table.c.kind, table.c.recipient, table.c.subject,
               table.c.attempts, table.c.last_error, table.c.created_at)
        .where(table.c.status == "failed")
        .order_by(table.c.created_at.desc(), table.c.id.desc()).limit(limit)).mappings()
    return [FailedRow(**row) for row in rows]


def retrying_messages(limit: int = 100) -> list[RetryingRow]:
    """The messages waiting to be tried again after an error (an administrator's retry, or
    the worker's backoff), next due first, with that error: it stays until they are sent."""
    table = OutboxMessage.__table__
    rows = db.session.execute(
        select(table.c.id, table.c.kind, table.c.recipient, table.c.subject,
               table.c.attempts, table.c.last_error, table.c.created_at, table.c.due_at)
        .where(table.c.status.in_(("pending", "sending")), table.c.last_error != "")
        .order_by(table.c.due_at, table.c.id).limit(limit)).mappings()
    return [RetryingRow(**row) for row in rows]
