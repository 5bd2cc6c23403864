"""The clock. Services take `now` as an argument; views get it from here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import current_app


def utcnow() -> datetime:
    return datetime.now(UTC)


def now() -> datetime:
    """The current time for this app: tests inject a clock through the `CLOCK` config key."""
    clock: Callable[[], datetime] = current_app.config.get("CLOCK", utcnow)
    return clock()
