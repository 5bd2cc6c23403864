"""The notifications page's one statement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.notifications.models import Notification

PER_PAGE = 30


@dataclass(frozen=True)
class Entry:
    id: int
    kind: str
    subject: str
    summary: str
    url: str
    created_at: datetime
    unread: bool


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def notifications_page(user: User, number: int) -> Page:
    """One page of the user's own entries, newest first (one statement: one row more than
    the page tells whether there is a next)."""
    table = Notification.__table__
    rows = db.session.execute(
        select(table.c.id, table.c.kind, table.c.subject, table.c.summary, table.c.url,
               table.c.created_at, table.c.read_at)
        .where(table.c.user_id == user.id)
        .order_by(table.c.created_at.desc(), table.c.id.desc())
        .limit(PER_PAGE + 1).offset((number - 1) * PER_PAGE)).mappings().all()
    entries = [Entry(id=row["id"], kind=row["kind"], subject=row["subject"],
                     summary=row["summary"], url=row["url"], created_at=row["created_at"],
                     unread=row["read_at"] is None) for row in rows[:PER_PAGE]]
    return Page(entries=entries, number=number, has_next=len(rows) > PER_PAGE)
