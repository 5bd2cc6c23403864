"""Dates, times, numbers and percentages in each interface language, from CLDR; English in
the site's own format, unchanged."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core.formats import (
    format_clock,
    format_day,
    format_moment,
    format_number,
    format_percentage,
)
from app.core.languages import language_name
from app.core.zones import format_date, format_local, format_span

# 00:00 UTC is 01:00 in Lagos, a Monday.
MOMENT = datetime(2027, 3, 1, 0, 0, tzinfo=UTC)
SAME_DAY_END = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)
NEXT_DAY_END = datetime(2027, 3, 2, 2, 0, tzinfo=UTC)
LAGOS = "Africa/Lagos"


def test_english_keeps_the_site_s_format() -> None:
    assert format_local(MOMENT, LAGOS, locale="en") == "Mon 1 Mar 2027, 01:00 (Africa/Lagos)"
    assert format_local(MOMENT, LAGOS, with_zone=False, locale="en") == "Mon 1 Mar 2027, 01:00"
    assert format_date(MOMENT, LAGOS, locale="en") == "Mon 1 Mar 2027"
    assert format_span(MOMENT, SAME_DAY_END, LAGOS, locale="en") == \
        "Mon 1 Mar 2027, 01:00 to 03:00 (Africa/Lagos)"
    assert format_span(MOMENT, NEXT_DAY_END, LAGOS, locale="en") == \
        "Mon 1 Mar 2027, 01:00 to Tue 2 Mar 2027, 03:00 (Africa/Lagos)"


def test_outside_a_request_the_helpers_write_english() -> None:
    assert format_local(MOMENT, LAGOS) == "Mon 1 Mar 2027, 01:00 (Africa/Lagos)"
    assert format_date(MOMENT, LAGOS) == "Mon 1 Mar 2027"
    assert language_name("fr") == "French"


@pytest.mark.parametrize(("locale", "day", "moment"), [
    ("fr", "lun. 1 mars 2027", "lun. 1 mars 2027, 01:00"),
    ("ko", "2027년 3월 1일 (월)", "2027년 3월 1일 (월) 01:00"),
    ("ar", "الاثنين، 1 مارس 2027", "الاثنين، 1 مارس 2027، 01:00"),
    ("es", "lun, 1 mar 2027", "lun, 1 mar 2027, 1:00"),
    ("pt", "seg., 1 de mar. de 2027", "seg., 1 de mar. de 2027 01:00"),
])
def test_other_languages_use_their_cldr_formats(locale: str, day: str, moment: str) -> None:
    assert format_date(MOMENT, LAGOS, locale=locale) == day
    assert format_local(MOMENT, LAGOS, locale=locale) == f"{moment} (Africa/Lagos)"
    assert format_local(MOMENT, LAGOS, with_zone=False, locale=locale) == moment


def test_the_pure_pieces_take_a_wall_clock_time_and_a_locale() -> None:
    local = datetime(2027, 3, 1, 13, 5)
    assert format_day(local, "en") == "Mon 1 Mar 2027"
    assert format_clock(local, "en") == "13:05"
    assert format_clock(local, "ko") == "13:05"  # 24-hour, as the site always writes
    assert format_moment(local, "fr") == "lun. 1 mars 2027, 13:05"
    assert format_moment(local, "pt-BR") == format_moment(local, "pt_BR")


def test_a_span_in_another_language_has_its_dates_and_a_translatable_joint() -> None:
    span = format_span(MOMENT, NEXT_DAY_END, LAGOS, locale="ko")
    assert span.startswith("2027년 3월 1일 (월) 01:00")
    assert "2027년 3월 2일 (화) 03:00" in span and span.endswith("(Africa/Lagos)")
    assert format_span(MOMENT, SAME_DAY_END, LAGOS, locale="ar").startswith(
        "الاثنين، 1 مارس 2027، 01:00")


@pytest.mark.parametrize(("locale", "half", "thousands", "percent", "whole"), [
    ("en", "8.5", "1,234.5", "85.5%", "85%"),
    ("fr", "8,5", "1\u202f234,5", "85,5\u00a0%", "85\u00a0%"),
    ("ar", "8.5", "1,234.5", "85.5%", "85%"),  # CLDR's Arabic writes Western digits
    ("ko", "8.5", "1,234.5", "85.5%", "85%"),
])
def test_numbers_and_percentages(locale: str, half: str, thousands: str, percent: str,
                                 whole: str) -> None:
    assert format_number(8.5, locale) == half
    assert format_number(1234.5, locale) == thousands
    assert format_percentage(85.5, locale) == percent
    assert format_percentage(85, locale) == whole


def test_numbers_keep_up_to_three_decimals_or_the_digits_asked() -> None:
    assert format_number(10, "en") == "10"
    assert format_number(1 / 3, "en") == "0.333"
    assert format_number(0.5, "fr", digits=2) == "0,50"
    assert format_number(2.0, "en", digits=0) == "2"
    # Points out of 100 that a division left with binary noise read as the person expects.
    assert format_percentage(0.1 * 3 * 100, "en") == "30%"
    assert format_percentage(100 / 3, "en") == "33.33%"


def test_language_names_are_in_the_interface_s_language() -> None:
    assert language_name("en", "fr") == "Anglais"  # a name standing alone, as in a list
    assert language_name("fr", "fr") == "Français"
    assert language_name("pt-BR", "en") == "Portuguese (Brazil)"
    assert language_name("ko", "ko") == "한국어"
    assert language_name("xx-yy", "fr") == "xx-yy"
    assert language_name("", "fr") == ""
