"""The shared form helpers: per-item fields read with an error per wrong item, and
WTForms' messages in the project's own words."""

from __future__ import annotations

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from app.auth.forms import RegisterForm
from app.classroom.forms import ScheduleForm
from app.core.forms import OWN_WORDS, BadItem, Form, read_items

# What WTForms says when a form brings no words of its own: none of it may reach a page.
LIBRARY_WORDS = ("This field is required", "Not a valid", "Invalid Choice", "Number must be",
                 "Field cannot be longer", "Field must be", "Invalid URL")


def _number(_key: str, values: list[str]) -> int | None:
    if not values or not values[0]:
        return None
    if not values[0].isdigit():
        raise BadItem(f"Enter a whole number, not \u201c{values[0]}\u201d.")
    return int(values[0])


def test_read_items_gives_each_wrong_item_its_error_and_skips_blank_ones() -> None:
    posted = MultiDict([("n-a", "4"), ("n-b", "4,5x"), ("n-c", ""), ("other", "9")])
    items = read_items(posted, "n-", ["a", "b", "c", "d"], _number)
    assert items.values == {"a": 4}
    assert items.errors == {"b": "Enter a whole number, not \u201c4,5x\u201d."}
    assert not items.ok
    assert read_items(posted, "n-", ["a", "c"], _number).ok


def test_every_form_speaks_our_words(app) -> None:
    def subclasses(cls: type) -> set[type]:
        found: set[type] = set()
        direct_subclasses: list[type] = cls.__subclasses__()
        for direct in direct_subclasses:
            found |= {direct, *subclasses(direct)}
        return found

    strays = [c.__qualname__ for c in subclasses(FlaskForm)
              if c.__module__.startswith("app.") and not issubclass(c, Form)]
    assert strays == []


@pytest.mark.parametrize("data", [
    {"module": "x", "date": "9 March", "start": "nine", "end": "", "capacity": "lots",
     "facilitator": "", "location": "r" * 301},
    {"module": "1", "date": "2026-03-09", "start": "09:00", "end": "10:00", "capacity": "0",
     "facilitator": "1", "timezone": "Mars/Olympus"},
])
def test_library_messages_are_replaced(app, data: dict[str, str]) -> None:
    with app.test_request_context(method="POST", data=data):
        form = ScheduleForm()
        form.module.choices = [(1, "One")]
        form.facilitator.choices = [(1, "Grace")]
        assert not form.validate()
        shown = [message for errors in form.errors.values() for message in errors]
    assert shown
    assert not [m for m in shown if any(words in m for words in LIBRARY_WORDS)], shown
    assert set(shown) & set(OWN_WORDS.values())


def test_register_form_messages_are_ours(app) -> None:
    with app.test_request_context(method="POST", data={"name": "n" * 201, "country": "XX"}):
        form = RegisterForm()
        assert not form.validate()
        assert form.name.errors == ["Use at most 200 characters."]
        assert form.country.errors == ["Choose one of the options in the list."]


class _Quoting:
    """A catalog whose every translation is the message in quotes."""

    def gettext(self, message: str) -> str:
        return f"«{message}»"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"«{singular if n == 1 else plural}»"


def test_our_words_reach_the_page_through_the_languages_catalog(app, monkeypatch) -> None:
    monkeypatch.setattr("app.core.forms.get_translations", lambda: _Quoting())
    with app.test_request_context(method="POST", data={"name": "n" * 201, "country": "XX"}):
        form = RegisterForm()
        assert not form.validate()
        assert form.name.errors == ["«Use at most 200 characters.»"]
        assert form.country.errors == ["«Choose one of the options in the list.»"]
