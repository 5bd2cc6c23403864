"""How a date, a time, a number or a percentage is written in each interface language, by
Babel from CLDR. Pure: every function takes the locale ('fr', 'ko'); the template filters
and `zones.py`'s wrappers pick the request's.

English keeps the site's own format, 'Mon 1 Mar 2027, 01:00': CLDR's closest (en_GB's
`yMMMEd`) adds a comma after the weekday, and pages, PDFs, exports and tests have always
read without it. The other languages use their CLDR skeletons: 'lun. 1 mars 2027, 01:00',
'2027년 3월 1일 (월) 01:00', 'الاثنين، 1 مارس 2027، 01:00'.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel.dates import format_datetime, format_skeleton, get_datetime_format
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"

# Locale -> (day pattern, clock pattern) where the site keeps its own format over CLDR's.
_HOUSE_PATTERNS = {"en": ("EEE d MMM y", "HH:mm")}
_DAY_SKELETON = "yMMMEd"  # weekday, day, abbreviated month, year
_CLOCK_SKELETON = "Hm"  # 24-hour clock, hours and minutes


def _language(locale: str) -> str:
    return locale.replace("-", "_")


def format_day(moment: datetime, locale: str) -> str:
    """The day of `moment` as its own clock reads it (convert it first): 'Mon 1 Mar 2027'."""
    tag = _language(locale)
    if tag in _HOUSE_PATTERNS:
        return format_datetime(moment, _HOUSE_PATTERNS[tag][0], locale=tag)
    return format_skeleton(_DAY_SKELETON, moment, locale=tag)


def format_clock(moment: datetime, locale: str) -> str:
    """The time of day of `moment` on its own clock: '01:00' (24-hour in every language)."""
    tag = _language(locale)
    if tag in _HOUSE_PATTERNS:
        return format_datetime(moment, _HOUSE_PATTERNS[tag][1], locale=tag)
    return format_skeleton(_CLOCK_SKELETON, moment, locale=tag)


def format_moment(moment: datetime, locale: str) -> str:
    """Day and time joined as the language joins them: 'Mon 1 Mar 2027, 01:00'."""
    tag = _language(locale)
    joined = str(get_datetime_format("medium", locale=tag))
    return joined.replace("{1}", format_day(moment, tag)).replace("{0}",
                                                                  format_clock(moment, tag))


@cache
def interface_catalog(locale: str) -> NullTranslations:
    """The interface's catalog for `locale`, outside a request too (untranslated strings stay
    English)."""
    return Translations.load(str(TRANSLATIONS), [_language(locale)])


def format_interval(start: str, end: str, locale: str) -> str:
    """Two formatted moments as a span: 'Mon 9 Mar 2026, 01:00 to 03:00'."""
    # Translators: a span of time; start and end are a date and time, or only a time when
    # the span ends the same day: "Mon 9 Mar 2026, 01:00 to 03:00".
    pattern = interface_catalog(locale).gettext("%(start)s to %(end)s")
    return pattern % {"start": start, "end": end}


def format_number(value: float | Decimal, locale: str, *, digits: int | None = None) -> str:
    """A number a person reads: '8.5', French '8,5', '1,234.5'. Up to three decimals, or
    exactly `digits` of them."""
    tag = _language(locale)
    if digits is None:
        return format_decimal(value, locale=tag)
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=tag)


def format_percentage(points: float | Decimal, locale: str) -> str:
    """A percentage given in points out of 100, as TrainHub keeps them: 85.5 is '85.5%',
    French '85,5 %'. Up to two decimals."""
    # Through a decimal, so that 85.5 / 100 stays 0.855 and never prints binary noise.
    fraction = Decimal(str(round(float(points), 2))) / 100
    return format_percent(fraction, locale=_language(locale), decimal_quantization=False)
