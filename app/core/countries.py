"""ISO 3166-1 countries for profile forms, from pycountry."""

from __future__ import annotations

from functools import cache

import pycountry


def _display_name(country: object) -> str:
    # pycountry's common names read better in a list ("Bolivia", "Iran", "Tanzania").
    return str(getattr(country, "common_name", None) or country.name)  # type: ignore[attr-defined]


@cache
def country_choices() -> tuple[tuple[str, str], ...]:
    """(alpha-2 code, name) pairs sorted by name."""
    pairs = ((c.alpha_2, _display_name(c)) for c in pycountry.countries)
    return tuple(sorted(pairs, key=lambda pair: pair[1].casefold()))


@cache
def _names() -> dict[str, str]:
    return dict(country_choices())


def country_name(code: str | None) -> str:
    return _names().get(code or "", "")


def is_country_code(code: str) -> bool:
    return code in _names()
