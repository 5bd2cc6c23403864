"""The World Bank income-group classification shipped in app/reports/income_groups.csv."""

from __future__ import annotations

from datetime import date

import pycountry
import pytest

from app.reports.income import (
    ClassificationError,
    classification,
    parse_classification,
)


def test_the_file_says_what_it_is_and_when() -> None:
    income = classification()
    assert income.fiscal_year == "FY2026"
    assert income.released == date(2025, 7, 1)
    assert "World Bank" in income.source


def test_the_groups_of_some_countries() -> None:
    income = classification()
    assert [income.group_of(c) for c in ("AF", "BD", "AR", "BW", "KR", "CR", "NA", "CV")] == [
        "L", "LM", "UM", "UM", "H", "H", "LM", "UM"]
    assert income.is_lmic("KE") and income.is_lmic("BR") and not income.is_lmic("KR")
    assert income.group_of(None) is None and income.group_of("VE") is None
    assert not income.is_lmic("VE")  # unclassified: not counted as an LMIC


def test_every_code_is_iso_3166_and_the_groups_add_up() -> None:
    income = classification()
    for economy in income.economies.values():
        if economy.alpha2 == "XK":  # Kosovo: a user-assigned code, as the World Bank uses
            continue
        country = pycountry.countries.get(alpha_2=economy.alpha2)
        assert country is not None and country.alpha_3 == economy.alpha3, economy
    groups = [e.group for e in income.economies.values()]
    assert (groups.count("L"), groups.count("LM"), groups.count("UM"), groups.count("H")) == (
        26, 50, 54, 86)
    bangladesh = income.by_alpha3("BGD")
    assert bangladesh is not None and bangladesh.alpha2 == "BD"


HEAD = ["# fiscal_year: FY2030", "# released: 2029-07-01", "# source: a test",
        "alpha2,alpha3,country,income_group"]


def test_a_file_is_read_with_its_dates() -> None:
    income = parse_classification([*HEAD, "KE,KEN,Kenya,LM", ""])
    assert income.fiscal_year == "FY2030" and income.is_lmic("KE")


@pytest.mark.parametrize(("lines", "message"), [
    (HEAD[1:], "fiscal_year"),
    ([HEAD[0], "# released: July 2029", *HEAD[2:]], "not a date"),
    ([*HEAD[:3], "code,name"], "header"),
    ([*HEAD, "KE,KEN,Kenya,XL"], "row 2"),
    ([*HEAD, "KE,KEN,Kenya,LM", "KE,KEN,Kenya,LM"], "twice"),
    ([*HEAD, "ke,KEN,Kenya,LM"], "ISO"),
    ([*HEAD, "KE,KEN,LM"], "cells"),
])
def test_a_wrong_file_is_refused_with_a_reason(lines: list[str], message: str) -> None:
    with pytest.raises(ClassificationError, match=message):
        parse_classification(lines)
