"""ISO 3166-1 countries for profile forms, from pycountry."""

from __future__ import annotations

import unicodedata
from functools import cache

import pycountry


def _display_name(country: object) -> str:
    # pycountry's common names read better in a list ("Bolivia", "Iran", "Tanzania").
    return str(getattr(country, "common_name", None) or country.name)  # type: ignore[attr-defined]


def collation_key(name: str) -> tuple[str, str]:
    """Sort names as a reader expects, not by code point: "Côte d'Ivoire" between Costa Rica
    and Croatia, "Åland Islands" among the A's. Accents and punctuation count only to break a
    tie, as in the Unicode Collation Algorithm's first two levels. The names are pycountry's
    English ones, all in Latin script, where this agrees with ICU's root collation; PyICU
    would do the same for every script, at the price of a compiled ICU on every machine."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(ch for ch in decomposed if ch.isalnum() or ch == " ")
    return " ".join(letters.split()), decomposed


@cache
def country_choices() -> tuple[tuple[str, str], ...]:
    """(alpha-2 code, name) pairs sorted by name (collation_key)."""
    pairs = ((c.alpha_2, _display_name(c)) for c in pycountry.countries)
    return tuple(sorted(pairs, key=lambda pair: collation_key(pair[1])))


@cache
def _names() -> dict[str, str]:
    return dict(country_choices())


def country_name(code: str | None) -> str:
    return _names().get(code or "", "")


def is_country_code(code: str) -> bool:
    return code in _names()
