"""A learner's number is read in the language they typed it in: the locale's own way, else
a point before decimals, else a single comma; Arabic-Indic digits too."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from app.quizzes.numbers import read_decimal
from app.quizzes.types import InvalidAnswer, parse_number

LOCALES = ["en", "fr", "es", "pt", "ar", "ko"]


@pytest.mark.parametrize(("text", "locale", "value"), [
    ("98,5", "fr", "98.5"),
    ("98.5", "fr", "98.5"),     # a point still reads as the decimal point
    ("1,500", "en", "1500"),    # English groups thousands with a comma
    ("1,500", "fr", "1.5"),     # French writes decimals after it
    ("98,5", "en", "98.5"),     # not English grouping: a single comma before decimals
    ("1,234.5", "en", "1234.5"),
    ("1.234,5", "es", "1234.5"),
    ("1 234,5", "fr", "1234.5"),    # a plain space where French sets a narrow one
    ("1\u202f234,5", "fr", "1234.5"),
    # Thousands grouped by spaces read so in any language: a French learner on an English
    # course, or the SI's own way of writing numbers.
    ("1 500", "en", "1500"),
    ("12 345,5", "en", "12345.5"),
    ("1\u00a0234\u00a0567.25", "ko", "1234567.25"),
    # Arabic-Indic digits and the Arabic decimal separator, then its thousands separator
    ("\u0669\u0668\u066b\u0665", "ar", "98.5"),
    ("\u0661\u066c\u0665\u0660\u0660", "ar", "1500"),
    ("\u06f9\u06f8\u066b\u06f5", "ar", "98.5"),  # Extended (Persian) Arabic-Indic digits
    ("98,5", "ko", "98.5"),
    ("-1.5e2", "en", "-150"),
    ("\u2212150", "fr", "-150"),   # a typographic minus sign
    (".5", "en", "0.5"),
    ("  7  ", "pt", "7"),
])
def test_numbers_read_in_the_learner_s_language(text: str, locale: str, value: str) -> None:
    assert read_decimal(text, locale) == Decimal(value)


@pytest.mark.parametrize("text", ["", "lots", "1..2", "1,2,3,4", "1,5.5,", "1_000", "NaN",
                                  "Infinity", "sNaN", "1e", "12 kg", "1 50", "15 00"])
def test_what_is_not_a_number(text: str) -> None:
    assert read_decimal(text, "en") is None
    assert read_decimal(text, "fr") is None


def test_parse_number_takes_the_unit_off_and_the_locale_in() -> None:
    assert parse_number("98,5 %", "%", "fr") == 98.5
    assert parse_number("98,5%", "%", "fr") == 98.5
    assert parse_number("1,500 mg", "mg", "en") == 1500
    assert parse_number("5 mg / mL", "mg/mL") == 5
    assert parse_number("1,500") == 1500  # English unless told
    with pytest.raises(InvalidAnswer, match=r"Enter a number \(in %\)\."):
        parse_number("98.5 kg", "%", "fr")
    with pytest.raises(InvalidAnswer):
        parse_number("1e999", "", "en")


@given(value=st.decimals(min_value=-10**9, max_value=10**9, places=3, allow_nan=False),
       locale=st.sampled_from(LOCALES))
def test_a_number_written_as_the_locale_writes_it_reads_back(value: Decimal,
                                                              locale: str) -> None:
    assert read_decimal(format_decimal(value, locale=locale), locale) == value


@given(value=st.decimals(min_value=-10**6, max_value=10**6, places=2, allow_nan=False),
       locale=st.sampled_from(LOCALES))
def test_a_plain_point_number_reads_the_same_in_every_language(value: Decimal,
                                                               locale: str) -> None:
    text = f"{value:f}"
    # Three decimals after a point are the one case a locale that groups with "." reads
    # as thousands ("1.500" in Spanish); two places never are.
    assert read_decimal(text, locale) == value
