"""Field conversions: pure rules."""

import pytest

from app.content.fields import (
    FieldError,
    check_id,
    check_language,
    direction_of,
    parse_bool,
    parse_duration,
    parse_int,
    parse_percent,
    suggest,
)


@pytest.mark.parametrize(("text", "minutes"), [
    ("45 min", 45), ("2 h", 120), ("1 h 30 min", 90), ("90 minutes", 90), ("1 hour", 60),
    ("2h", 120), ("1h30min", 90),
])
def test_durations(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["1:30", "soon", "45", "0 min", "1 h and a bit", ""])
def test_bad_durations(text: str) -> None:
    with pytest.raises(FieldError):
        parse_duration(text)


@pytest.mark.parametrize(("text", "value"), [("80%", 80), ("0%", 0), ("100 %", 100),
                                             ("72.5%", 72)])
def test_percent(text: str, value: int) -> None:
    assert parse_percent(text) == value


@pytest.mark.parametrize(("text", "fragment"), [("120%", "outside 0-100%"), ("-5%", "outside"),
                                                ("80", "not a percentage")])
def test_bad_percent(text: str, fragment: str) -> None:
    with pytest.raises(FieldError, match=fragment):
        parse_percent(text)


def test_ints_and_bools() -> None:
    assert parse_int("010") == 10
    with pytest.raises(FieldError):
        parse_int("three")
    with pytest.raises(FieldError, match="at least 1"):
        parse_int("0", minimum=1)
    assert parse_bool("yes") is True and parse_bool("False") is False
    with pytest.raises(FieldError):
        parse_bool("maybe")


def test_ids_languages_directions() -> None:
    assert check_id("data-integrity") == "data-integrity"
    for bad in ("Data", "data_integrity", "-x", "a--b", ""):
        with pytest.raises(FieldError):
            check_id(bad)
    assert check_language("pt-BR") == "pt-BR"
    with pytest.raises(FieldError):
        check_language("english language")
    assert direction_of("ar") == "rtl" and direction_of("fa-IR") == "rtl"
    assert direction_of("en") == "ltr"


def test_suggestions() -> None:
    assert suggest("duraton", ["duration", "title"]) == '; did you mean "duration"?'
    assert suggest("zzz", ["duration", "title"]) == ""
