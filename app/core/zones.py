"""Time zones: times are stored in UTC and shown on each user's own wall clock, always in
the one format these helpers write (templates use the `local`, `local_date` and
`local_span` filters; PDFs, CSV and calendar files call them too), in the words of the
language given, else the request's (`formats.py` writes them). Pure but for that default."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

from app.core import formats

# The zone that the `local` filters show times in while something is rendered for a person
# other than the request's viewer (an e-mail for its recipient, from a request or a worker).
_rendering_for: ContextVar[str | None] = ContextVar("rendering_for_zone", default=None)


@contextmanager
def shown_in(timezone: str) -> Iterator[None]:
    """Within the block, the `local` filters show times in `timezone`, whoever is logged in."""
    token = _rendering_for.set(timezone)
    try:
        yield
    finally:
        _rendering_for.reset(token)


def rendering_zone() -> str | None:
    """The zone set by `shown_in`, or None when times are shown to the request's viewer."""
    return _rendering_for.get()


def local_time(moment: datetime, timezone: str) -> datetime:
    """A stored UTC time as the wall clock in `timezone` shows it."""
    return moment.astimezone(ZoneInfo(timezone))


def to_utc(wall_clock: datetime, timezone: str) -> datetime:
    """A naive wall-clock time in `timezone` as an aware UTC time. A time skipped or repeated
    by a daylight-saving change resolves as zoneinfo's fold=0 does: the earlier reading."""
    return wall_clock.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def _locale(locale: str | None) -> str:
    """The language to write in: the one given, else the request's ('en' outside one)."""
    if locale is not None:
        return locale
    from app.core.i18n import current_language

    return current_language()


def _zone_label(timezone: str) -> str:
    return f"({timezone.replace('_', ' ')})"


def format_local(moment: datetime | None, timezone: str, *, with_zone: bool = True,
                 locale: str | None = None) -> str:
    """'Mon 1 Mar 2027, 01:00 (Africa/Lagos)', in `locale`'s words (formats.py)."""
    if moment is None:
        return ""
    text = formats.format_moment(local_time(moment, timezone), _locale(locale))
    return f"{text} {_zone_label(timezone)}" if with_zone else text


def machine_time(moment: datetime) -> str:
    """A `<time datetime>` value: UTC to the second ('2026-03-02T09:00:00Z'). Stored times
    carry microseconds, which a person is never shown and HTML's format does not need."""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_span(start: datetime, end: datetime, timezone: str, *,
                locale: str | None = None) -> str:
    """'Mon 9 Mar 2026, 01:00 to 03:00 (Africa/Lagos)'; the end's date too if it differs."""
    tag = _locale(locale)
    first, last = local_time(start, timezone), local_time(end, timezone)
    until = (formats.format_clock(last, tag) if first.date() == last.date()
             else formats.format_moment(last, tag))
    span = formats.format_interval(formats.format_moment(first, tag), until, tag)
    return f"{span} {_zone_label(timezone)}"


def format_date(moment: datetime | None, timezone: str, *, locale: str | None = None) -> str:
    """The day of a stored time on the wall clock in `timezone`, as format_local writes it:
    'Mon 1 Mar 2027'."""
    if moment is None:
        return ""
    return formats.format_day(local_time(moment, timezone), _locale(locale))


# --- which zones a person may choose, and which ones their country uses ------------------


@dataclass(frozen=True)
class Zone:
    name: str  # the IANA name, "America/Sao_Paulo"
    comment: str  # the tz database's words for the part of the country, or ""

    @property
    def region(self) -> str:
        """The optgroup it is listed under: "America", "Europe", ... "UTC" for UTC."""
        return self.name.split("/", 1)[0]

    @property
    def place(self) -> str:
        """"Argentina / Buenos Aires" for America/Argentina/Buenos_Aires."""
        return self.name.split("/", 1)[-1].replace("_", " ").replace("/", " / ")

    @property
    def label(self) -> str:
        return f"{self.place}: {self.comment}" if self.comment else self.place


@cache
def _zone_table() -> dict[str, tuple[Zone, ...]]:
    """Country code -> its zones, in the tz database's geographical order, from its zone.tab
    (as shipped in the tzdata package that zoneinfo reads): the table pytz's
    `country_timezones` reads, without a second copy of the database."""
    by_country: dict[str, list[Zone]] = {}
    text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text("utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        code, _coordinates, name, *comment = line.split("\t")
        by_country.setdefault(code, []).append(Zone(name, comment[0] if comment else ""))
    return {code: tuple(zones) for code, zones in by_country.items()}


def country_zones(code: str | None) -> tuple[Zone, ...]:
    """The zones of a country (ISO 3166 alpha-2), in the tz database's order. Empty for an
    unknown code."""
    return _zone_table().get((code or "").upper(), ())


@cache
def canonical_zones() -> tuple[Zone, ...]:
    """UTC, then every zone some country uses, by region and place: no backward-compatible
    aliases ("US/Eastern") or deprecated names ("Asia/Calcutta"), which zone.tab never lists.
    """
    uses = Counter(zone.name for zones in _zone_table().values() for zone in zones)
    named = {zone.name: zone for zones in _zone_table().values() for zone in zones}
    # A comment describes a part of one country: a zone several countries share has none.
    listed = sorted((Zone(name, zone.comment if uses[name] == 1 else "")
                     for name, zone in named.items()), key=lambda z: (z.region, z.place))
    return (Zone("UTC", ""), *listed)


def is_canonical_zone(name: str) -> bool:
    return name in {zone.name for zone in canonical_zones()}


def proposed_zone(country: str | None) -> str | None:
    """The zone to propose for a country: its only one; None when it has several (the person
    is asked) or none is known."""
    zones = country_zones(country)
    return zones[0].name if len(zones) == 1 else None
