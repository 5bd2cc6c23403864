"""Reminders of live sessions: each registered learner hears of a session about a day before
it starts and again about an hour before, each with its calendar file, once. A cancelled
session reminds nobody.

The job runs every 5 minutes (`remind_sessions`). It claims a registration's reminder with
one conditional UPDATE of its `day_reminded_at` or `hour_reminded_at` (set where it is still
empty and the seat is still held), which only one worker can win: on PostgreSQL the second
UPDATE waits for the first's row lock and then no longer matches, on SQLite writers are
serialized. The hour's claim fills an unsent day's too, so a learner who registered late
gets one reminder, not two at once. Each reminder (claim, entry, queued mail) is committed
before the next, as the digest's are, which is why this is a job and not a service.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, select, update

from app.auth.models import User
from app.classroom.models import ClassSession, Registration
from app.classroom.notices import tell_reminder
from app.classroom.queries import session_row
from app.classroom.rules import DAY_REMINDER, reminder_due
from app.extensions import db
from app.jobs import periodic


@periodic("classroom.remind_sessions", minute="*/5")
def remind_sessions(now: datetime) -> int:
    """Send every reminder due at `now`; how many were sent."""
    due = db.session.execute(
        select(Registration.id, Registration.session_id, Registration.user_id,
               ClassSession.starts_at)
        .join(ClassSession, ClassSession.id == Registration.session_id)
        .join(User, User.id == Registration.user_id)
        .where(Registration.status == "registered", User.active.is_(True),
               ClassSession.cancelled_at.is_(None), ClassSession.starts_at > now,
               ClassSession.starts_at <= now + DAY_REMINDER,
               Registration.hour_reminded_at.is_(None))
        .order_by(ClassSession.starts_at, Registration.id)).all()
    db.session.commit()
    sent = 0
    for line in due:
        which = reminder_due(line.starts_at, now)
        if which is not None and claim_reminder(line.id, which, now):
            sent += send_reminder(line.session_id, line.user_id, which, now)
        db.session.commit()
    return sent


def claim_reminder(registration_id: int, which: str, now: datetime) -> bool:
    """Take one registration's "day" or "hour" reminder for this worker: whether it won it."""
    unsent: ColumnElement[bool]
    if which == "hour":
        unsent = Registration.hour_reminded_at.is_(None)
        values = {"hour_reminded_at": now,
                  "day_reminded_at": func.coalesce(Registration.day_reminded_at, now)}
    else:
        unsent = and_(Registration.day_reminded_at.is_(None),
                      Registration.hour_reminded_at.is_(None))
        values = {"day_reminded_at": now}
    result = db.session.execute(
        update(Registration)
        .where(Registration.id == registration_id, Registration.status == "registered", unsent)
        .values(**values).execution_options(synchronize_session=False))
    return int(result.rowcount or 0) == 1  # type: ignore[attr-defined]


def send_reminder(session_id: int, user_id: int, which: str, now: datetime) -> int:
    learner = db.session.get(User, user_id)
    row = session_row(session_id, user_id)
    # Cancelled between the job's read and this claim: the cancellation told them already.
    if learner is None or row is None or row.session.cancelled_at is not None:
        return 0
    tell_reminder(row, learner, which, now)
    return 1



