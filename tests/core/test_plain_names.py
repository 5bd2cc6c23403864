"""Names a person reads in place of codes: languages, and countries in reading order."""

from flask import Flask
from flask_babel import refresh

from app.core.countries import collation_key, country_choices, country_name
from app.core.languages import language_name


def test_language_tags_read_as_their_names() -> None:
    assert language_name("en") == "English"
    assert language_name("fr") == "French"
    assert language_name("pt-BR") == "Portuguese (Brazil)"
    assert language_name("sw") == "Swahili"
    assert language_name("xx-nonsense") == "xx-nonsense"
    assert language_name(None) == ""


def test_countries_sort_as_a_reader_expects_not_by_code_point() -> None:
    names = [name for _, name in country_choices()]
    ivory = names.index("Côte d'Ivoire")
    assert names[ivory - 1:ivory + 2] == ["Costa Rica", "Côte d'Ivoire", "Croatia"]
    assert names.index("Åland Islands") < names.index("Albania")
    assert names.index("Curaçao") < names.index("Cyprus")
    assert names == sorted(names, key=collation_key)


def test_the_collation_key_ignores_case_accents_and_punctuation_first() -> None:
    assert collation_key("Côte d'Ivoire")[0] == "cote divoire"
    assert sorted(["résumé", "rest", "Resume"], key=collation_key) == [
        "rest", "Resume", "résumé"]


def test_countries_are_named_and_sorted_in_the_interface_language(app: Flask) -> None:
    assert country_name("DE") == "Germany"  # outside a request: English
    # One app context for the whole test: its cached locale is refreshed, as before a request.
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        refresh()
        assert country_name("DE") == "Allemagne"
        names = [name for _, name in country_choices()]
        assert names.index("Égypte") < names.index("Équateur") < names.index("Érythrée") \
            < names.index("Espagne")
        assert language_name("pt-BR") == "Portugais (Brésil)"
    with app.test_request_context(headers={"Accept-Language": "ar"}):
        refresh()
        assert country_name("EG") == "مصر"
        assert dict(country_choices())["DE"] == "ألمانيا"
    assert dict(country_choices("ko"))["KR"] == "대한민국"
