"""ISO 3166-1 countries for profile forms: pycountry's codes, named in the interface's
language (CLDR's names, through babel) and listed in that language's reading order."""

from __future__ import annotations

import unicodedata
from functools import cache

import pycountry
from babel import Locale
from flask import has_request_context

from app.core.i18n import current_language


def _display_name(country: object) -> str:
    # pycountry's common names read better in a list ("Bolivia", "Iran", "Tanzania").
    return str(getattr(country, "common_name", None) or country.name)  # type: ignore[attr-defined]


def collation_key(name: str) -> tuple[str, str]:
    """Sort names as a reader expects, not by code point: "Côte d'Ivoire" between Costa Rica
    and Croatia, "Åland Islands" among the A's. Accents and punctuation count only to break a
    tie, as in the Unicode Collation Algorithm's first two levels. For the Latin-script names
    this agrees with ICU's root collation; Arabic letters and Hangul syllables are encoded in
    their alphabetical order, so their names come out in it too. PyICU would do every
    language's own rules (Spanish ñ after n), at the price of a compiled ICU on every
    machine."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(ch for ch in decomposed if ch.isalnum() or ch == " ")
    return " ".join(letters.split()), decomposed


def _language() -> str:
    """The request's interface language; English outside a request (the command line)."""
    return current_language() if has_request_context() else "en"


@cache
def _choices_in(tag: str) -> tuple[tuple[str, str], ...]:
    english = ((c.alpha_2, _display_name(c)) for c in pycountry.countries)
    if tag == "en":
        pairs = list(english)
    else:
        names = Locale.parse(tag).territories
        pairs = [(code, names.get(code) or name) for code, name in english]
    return tuple(sorted(pairs, key=lambda pair: collation_key(pair[1])))


def country_choices(tag: str | None = None) -> tuple[tuple[str, str], ...]:
    """(alpha-2 code, name) pairs sorted by name (collation_key), in the language `tag`,
    else the request's."""
    return _choices_in(tag or _language())


@cache
def _names_in(tag: str) -> dict[str, str]:
    return dict(_choices_in(tag))


def country_name(code: str | None, tag: str | None = None) -> str:
    """The country's name in the language `tag`, else the request's; "" for no country."""
    return _names_in(tag or _language()).get(code or "", "")


def is_country_code(code: str) -> bool:
    return code in _names_in("en")
