"""How a learner's typed number is read, in the language they typed it in. Pure.

The rule, in order: the locale's own way of writing numbers (Babel's strict parse, so that
"1,500" in English is fifteen hundred and "98,5" in French is 98.5); else a plain number
with "." before the decimals; else a single "," before the decimals when there is no ".":
"98,5" is 98.5 in English too, as learners everywhere type it. Thousands grouped by spaces,
"1 500" or "12 345,5", read so in every language (the SI way of writing numbers, and a
learner's own language's way when the course is in another). Arabic-Indic digits
(U+0660 to U+0669, and the Persian U+06F0 to U+06F9) and the Arabic decimal and thousands
separators (U+066B, U+066C) read as their Western forms.
"""

from __future__ import annotations

import decimal
import re
from decimal import Decimal

from babel import UnknownLocaleError
from babel.numbers import get_group_symbol, parse_decimal

# Arabic-Indic and Extended Arabic-Indic digits, the Arabic decimal and thousands separators.
_WESTERN = str.maketrans({**{0x0660 + n: str(n) for n in range(10)},
                          **{0x06F0 + n: str(n) for n in range(10)},
                          0x066B: ".", 0x066C: ","})
_PLAIN = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_COMMA = re.compile(r"[-+]?\d*,\d+([eE][-+]?\d+)?")
_SPACES = (" ", "\u00a0", "\u202f")
_SPACE_GROUPED = re.compile(r"[-+]?\d{1,3}([ \u00a0\u202f]\d{3})+([.,]\d+)?")


def _in_locale(text: str, locale: str) -> Decimal | None:
    """`text` as `locale` writes numbers, or None. A locale that groups thousands with a
    space (French's narrow no-break space) takes any space there: learners type " "."""
    try:
        group = get_group_symbol(locale)
        if group in _SPACES:
            for space in _SPACES:
                text = text.replace(space, group)
        return parse_decimal(text, locale, strict=True)
    except (ValueError, ArithmeticError, UnknownLocaleError):
        return None


def read_decimal(text: str, locale: str) -> Decimal | None:
    """The number a learner typed (`text`, its unit already off) in `locale`, or None when it
    is not one."""
    text = text.strip().translate(_WESTERN).replace("\u2212", "-")  # a typographic minus
    if not text or "_" in text:  # Decimal("1_000") would read; nobody types it so
        return None
    value = _in_locale(text, locale.replace("-", "_"))
    if value is None and _SPACE_GROUPED.fullmatch(text):
        text = "".join(text.split())  # every kind of space: str.split knows them all
    if value is None and _PLAIN.fullmatch(text):
        value = Decimal(text)
    if value is None and "." not in text and _COMMA.fullmatch(text):
        value = Decimal(text.replace(",", "."))
    try:
        return value if value is not None and value.is_finite() else None
    except decimal.InvalidOperation:  # a signalling NaN
        return None
