"""Pure rules of live sessions: seats and waitlist, attendance, when things open.

No Flask, no database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

# Facilitators check people in as they arrive, so the roster opens a little before the start.
ATTENDANCE_OPENS_BEFORE = timedelta(hours=1)

COUNTS_AS_ATTENDED = frozenset({"present", "late"})


@dataclass(frozen=True)
class Place:
    """A registration as the rules see it: who, and when they asked."""

    user_id: int
    placed_at: datetime
    seq: int  # the row id: breaks ties between equal times


def place_for_newcomer(capacity: int, seated: int) -> str:
    """A new registration takes a seat while one is free, else a waitlist place."""
    return "registered" if seated < capacity else "waitlisted"


def promotions(capacity: int, seated: int, waitlist: Sequence[Place]) -> list[int]:
    """Who moves from the waitlist into the seats now free, first come first served."""
    free = max(0, capacity - seated)
    ordered = sorted(waitlist, key=lambda p: (p.placed_at, p.seq))
    return [p.user_id for p in ordered[:free]]


def waitlist_position(user_id: int, waitlist: Sequence[Place]) -> int | None:
    ordered = sorted(waitlist, key=lambda p: (p.placed_at, p.seq))
    return next((i + 1 for i, p in enumerate(ordered) if p.user_id == user_id), None)


def registration_open(starts_at: datetime, now: datetime) -> bool:
    return now < starts_at


def changeable(ends_at: datetime, cancelled_at: datetime | None, now: datetime) -> bool:
    """Whether a session can still be changed or cancelled: not cancelled, and not ended."""
    return cancelled_at is None and now < ends_at


# What a calendar shows of a session: a change of any of these raises its SEQUENCE (RFC
# 5545) and tells its learners. Seats and the facilitator are the staff's business, so a
# change of only those changes nobody's plans and tells nobody.
CALENDAR_FIELDS = ("starts_at", "ends_at", "location", "join_url")


def changed_fields(before: Mapping[str, object], after: Mapping[str, object]
                   ) -> dict[str, tuple[object, object]]:
    """Each field whose value differs, as (before, after), in the order of `after`."""
    return {key: (before.get(key), value) for key, value in after.items()
            if before.get(key) != value}


def calendar_must_see(changes: Mapping[str, object]) -> bool:
    return any(key in changes for key in CALENDAR_FIELDS)


def counts_as_attended(mark: str | None) -> bool:
    return mark in COUNTS_AS_ATTENDED


def attendance_open(starts_at: datetime, now: datetime) -> bool:
    return now >= starts_at - ATTENDANCE_OPENS_BEFORE



# Reminders: one about a day before a session, one about an hour before.
DAY_REMINDER = timedelta(hours=24)
HOUR_REMINDER = timedelta(hours=1)


def reminder_due(starts_at: datetime, now: datetime) -> str | None:
    """Which reminder of a session starting at `starts_at` is due at `now`: "hour" within the
    hour before the start, "day" within the day before (and more than an hour away), None
    earlier or once it started. A reminder that is due but already sent is the caller's
    business (the claim)."""
    if now >= starts_at:
        return None
    if now >= starts_at - HOUR_REMINDER:
        return "hour"
    if now >= starts_at - DAY_REMINDER:
        return "day"
    return None
