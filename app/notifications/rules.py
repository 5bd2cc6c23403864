"""When a person's digest is due: pure, with neither Flask nor the database."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MORNING_HOUR = 8
# The digest goes out in the first run of the job after the morning hour, within this window
# (the job runs every 15 minutes; the window lets a run or two be missed). A worker down for
# the whole window sends nothing that day: the entries wait for the next morning, none lost.
WINDOW = timedelta(hours=2)


def local_now(now: datetime, zone: str | None) -> datetime:
    try:
        return now.astimezone(ZoneInfo(zone or "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        return now.astimezone(ZoneInfo("UTC"))


def digest_day(now: datetime, zone: str | None, last_sent_on: date | None, *,
               hour: int = MORNING_HOUR, window: timedelta = WINDOW) -> date | None:
    """The local day whose digest is due for a person in `zone` at `now`, or None: due when
    their wall clock is past `hour` by less than `window` and that day's digest has not been
    sent (`last_sent_on` is the local day of the last one)."""
    here = local_now(now, zone)
    morning = here.replace(hour=hour, minute=0, second=0, microsecond=0)
    if not morning <= here < morning + window:
        return None
    if last_sent_on is not None and last_sent_on >= here.date():
        return None
    return here.date()
