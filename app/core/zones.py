"""Time zones: times are stored in UTC and shown on each user's own wall clock. Pure."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def local_time(moment: datetime, timezone: str) -> datetime:
    """A stored UTC time as the wall clock in `timezone` shows it."""
    return moment.astimezone(ZoneInfo(timezone))


def to_utc(wall_clock: datetime, timezone: str) -> datetime:
    """A naive wall-clock time in `timezone` as an aware UTC time. A time skipped or repeated
    by a daylight-saving change resolves as zoneinfo's fold=0 does: the earlier reading."""
    return wall_clock.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def format_local(moment: datetime | None, timezone: str, *, with_zone: bool = True) -> str:
    """'Mon 1 Mar 2027, 01:00 (Africa/Lagos)'."""
    if moment is None:
        return ""
    local = local_time(moment, timezone)
    text = f"{local:%a} {local.day} {local:%b %Y, %H:%M}"
    return f"{text} ({timezone.replace('_', ' ')})" if with_zone else text


def machine_time(moment: datetime) -> str:
    """A `<time datetime>` value: UTC to the second ('2026-03-02T09:00:00Z'). Stored times
    carry microseconds, which a person is never shown and HTML's format does not need."""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_span(start: datetime, end: datetime, timezone: str) -> str:
    """'Mon 9 Mar 2026, 01:00 to 03:00 (Africa/Lagos)'; the end's date too if it differs."""
    first, last = local_time(start, timezone), local_time(end, timezone)
    until = (f"{last:%H:%M}" if first.date() == last.date()
             else format_local(end, timezone, with_zone=False))
    return f"{format_local(start, timezone, with_zone=False)} to {until} " \
           f"({timezone.replace('_', ' ')})"
