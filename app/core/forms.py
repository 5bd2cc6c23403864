"""Form helpers shared by features."""

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from flask_babel import get_translations
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from app.core.errors import DomainError, ValidationErrors

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


class _Mark:
    """Marks our own words for the catalogs (`make translations` finds these calls by their
    names) without translating them: each is translated when WTForms asks for it, into the
    language of the page being shown."""

    @staticmethod
    def gettext(message: str) -> str:
        return message

    @staticmethod
    def ngettext(singular: str, plural: str) -> tuple[str, str]:
        return singular, plural


_mark = _Mark()

# WTForms' own messages, as our users should read them. WTForms asks its translations for
# every message it shows; a message without an entry here keeps the library's words, so
# tests/core/test_forms.py renders the common fields wrong and looks for the library's.
OWN_WORDS = {
    "This field is required.": _mark.gettext("Fill in this field."),
    "Not a valid integer value.": _mark.gettext("Enter a whole number, like 12."),
    "Not a valid decimal value.": _mark.gettext("Enter a number, like 2.5."),
    "Not a valid float value.": _mark.gettext("Enter a number, like 2.5."),
    "Not a valid date value.": _mark.gettext("Enter a date, like 2026-03-09."),
    "Not a valid datetime value.":
        _mark.gettext("Enter a date and a time, like 2026-03-09 14:30."),
    "Not a valid time value.": _mark.gettext("Enter a time, like 14:30."),
    "Not a valid week value.": _mark.gettext("Enter a week, like 2026-W11."),
    "Not a valid choice.": _mark.gettext("Choose one of the options in the list."),
    "Invalid Choice: could not coerce.": _mark.gettext("Choose one of the options in the list."),
    "Invalid Choice(s): one or more data inputs could not be coerced.":
        _mark.gettext("Choose only options from the list."),
    "'%(value)s' is not a valid choice for this field.":
        _mark.gettext("Choose only options from the list."),
    "'%(value)s' are not valid choices for this field.":
        _mark.gettext("Choose only options from the list."),
    "Number must be between %(min)s and %(max)s.":
        _mark.gettext("Enter a number from %(min)s to %(max)s."),
    "Number must be at least %(min)s.": _mark.gettext("Enter a number of at least %(min)s."),
    "Number must be at most %(max)s.": _mark.gettext("Enter a number of at most %(max)s."),
    "Date must be between %(min)s and %(max)s.":
        _mark.gettext("Choose a date from %(min)s to %(max)s."),
    "Date must be at least %(min)s.": _mark.gettext("Choose a date on or after %(min)s."),
    "Date must be at most %(max)s.": _mark.gettext("Choose a date on or before %(max)s."),
    "Field must be between %(min)d and %(max)d characters long.":
        _mark.gettext("Use between %(min)d and %(max)d characters."),
    "Invalid URL.": _mark.gettext("Enter a web address, like https://example.org/."),
    "Invalid email address.":
        _mark.gettext("Enter a valid e-mail address, like name@example.org."),
    "Invalid input.": _mark.gettext("This value is not accepted here."),
}

# The messages WTForms words by a number (its `ngettext`): the library's pair -> ours, whose
# plural forms each language's catalog gives.
OWN_PLURALS = {
    ("Field cannot be longer than %(max)d character.",
     "Field cannot be longer than %(max)d characters."):
        _mark.ngettext("Use at most %(max)d character.", "Use at most %(max)d characters."),
    ("Field must be at least %(min)d character long.",
     "Field must be at least %(min)d characters long."):
        _mark.ngettext("Use at least %(min)d character.", "Use at least %(min)d characters."),
    ("Field must be exactly %(max)d character long.",
     "Field must be exactly %(max)d characters long."):
        _mark.ngettext("Use exactly %(max)d character.", "Use exactly %(max)d characters."),
}


class _OwnWords:
    """The translations WTForms asks for its messages (its `gettext` protocol): our words,
    through Flask-Babel's catalog of the request's language. The catalog's own methods, not
    `flask_babel.gettext`, so that WTForms fills in `%(min)d` and the like itself."""

    def gettext(self, string: str) -> str:
        return str(get_translations().gettext(OWN_WORDS.get(string, string)))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        own = OWN_PLURALS.get((singular, plural), (singular, plural))
        return str(get_translations().ngettext(own[0], own[1], n))


_OWN = _OwnWords()


class Form(FlaskForm):
    """The base of every form: WTForms' messages in our own words, in the page's language."""

    class Meta:
        def get_translations(self, form: FlaskForm) -> _OwnWords:
            return _OWN


class EmptyForm(Form):
    """A form with only the CSRF token: for buttons that change state (log out, enrol, ...)."""


def csrf_field(form: FlaskForm | None = None) -> Markup:
    """The hidden CSRF input of a form, for templates: the same token that CSRFProtect
    checks on every POST, without building a form object for each button. It has no `id`
    (a form's own `csrf_token` field renders id="csrf_token", repeated by every form on a
    page); a form built with a prefix expects the token under its prefixed name. Flask-WTF
    signs the session's token once per request, whatever the number of buttons."""
    field = getattr(form, "csrf_token", None) if form is not None else None
    name = field.name if field is not None else "csrf_token"
    return Markup('<input name="%s" type="hidden" value="%s">') % (name, generate_csrf())


def attach_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's refusal next to the field it concerns, or above the form; each of
    several errors found at once next to its own field."""
    if isinstance(error, ValidationErrors):
        for each in error.errors:
            attach_domain_error(form, each)
        return
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


class BadItem(Exception):
    """Raised by a `read_items` parser: the item's value is wrong; the message (our own
    words, shown next to the item) says how to put it right."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Items(Generic[K, T]):
    """The items of a per-item form as read: the values of the items that were given, and
    the error of each item that was wrong. `ok` only when nothing was wrong: a form with a
    wrong item is refused whole, so that no part of it is saved on a guess."""

    values: dict[K, T] = field(default_factory=dict)
    errors: dict[K, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_items(form_data: MultiDict[str, str], prefix: str, keys: Iterable[K],
               parse: Callable[[K, list[str]], T | None]) -> Items[K, T]:
    """Read the fields of a list of items (rubric points, attendance, checklist marks), each
    posted as `prefix` + key. `parse(key, values)` gets every value posted under that name
    and returns the item's value, None for an item left blank, or raises `BadItem`. Each
    wrong item gets its own error instead of being dropped: a mistyped value must not
    become "no value"."""
    values: dict[K, T] = {}
    errors: dict[K, str] = {}
    for key in keys:
        try:
            value = parse(key, form_data.getlist(f"{prefix}{key}"))
        except BadItem as error:
            errors[key] = error.message
            continue
        if value is not None:
            values[key] = value
    return Items(values, errors)
