"""Log-in limits: how many password checks an account (or a network address) may have in a
moving window, and until when it is locked. Pure: no Flask, no database."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import limits


@dataclass(frozen=True)
class AttemptLimit:
    """At most `amount` failed checks within any `window`."""

    amount: int
    window: timedelta

    @classmethod
    def parse(cls, text: str) -> AttemptLimit:
        """From the spelling operators already use for Flask-Limiter ("5 per 15 minutes",
        "5/15 minutes"). ValueError when it is not one limit, or allows nothing."""
        items = limits.parse_many(text)
        if len(items) != 1 or items[0].amount < 1:
            raise ValueError(f"{text!r} is not one limit such as '5 per 15 minutes'")
        return cls(items[0].amount, timedelta(seconds=items[0].get_expiry()))


def locked_until(checks: Iterable[datetime], limit: AttemptLimit,
                 now: datetime) -> datetime | None:
    """When the next check may start, or None if one may start now.

    `checks` are the start times of the checks that count: those that failed, and those
    still under way (each is counted from the moment it starts). While `amount` of them lie
    in the window ending now, no further check may start; the lock lifts when the oldest of
    the newest `amount` leaves the window. Refused attempts are not checks, so they neither
    count nor extend the lock: an attacker cannot keep the owner out for longer than one
    window by hammering."""
    recent = sorted(moment for moment in checks if moment > now - limit.window)
    if len(recent) < limit.amount:
        return None
    return recent[len(recent) - limit.amount] + limit.window


def lock_begins(earlier: Iterable[datetime], latest: datetime, limit: AttemptLimit,
                now: datetime) -> datetime | None:
    """Whether the failure started at `latest` is the one that locks the account: locked with
    it and not without it. Returns when the lock lifts, or None."""
    earlier = list(earlier)
    if locked_until(earlier, limit, now) is not None:
        return None
    return locked_until([*earlier, latest], limit, now)


def minutes_to_wait(until: datetime, now: datetime) -> int:
    """Whole minutes from `now` until `until`, rounded up: "try again in 12 minutes" must not
    send anyone back a minute early. At least 1."""
    return max(1, math.ceil((until - now).total_seconds() / 60))
