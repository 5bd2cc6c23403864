"""Form helpers shared by features."""

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from flask import current_app, session
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from app.core.errors import DomainError, ValidationErrors
from app.core.memo import kept

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


class EmptyForm(FlaskForm):
    """A form with only the CSRF token: for buttons that change state (log out, enrol, ...)."""


def csrf_field(form: FlaskForm | None = None) -> Markup:
    """The hidden CSRF input of a form, for templates: the same token that CSRFProtect
    checks on every POST, without building a form object for each button. It has no `id`
    (a form's own `csrf_token` field renders id="csrf_token", repeated by every form on a
    page); a form built with a prefix expects the token under its prefixed name."""
    field = getattr(form, "csrf_token", None) if form is not None else None
    name = field.name if field is not None else "csrf_token"
    return Markup('<input name="%s" type="hidden" value="%s">') % (name, _signed_token())


def _signed_token() -> str:
    """The signed form of the session's CSRF token. Signing costs more than the rest of a
    button, and a token signed once stays valid while tokens do not expire (the default,
    WTF_CSRF_TIME_LIMIT = None: long quizzes), so each worker signs a session's token once."""
    raw = session.get("csrf_token")
    if raw is None or current_app.config.get("WTF_CSRF_TIME_LIMIT") is not None:
        return generate_csrf()
    return kept("csrf", raw, generate_csrf, limit=20_000)


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
