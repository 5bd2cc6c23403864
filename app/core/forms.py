"""Form helpers shared by features."""

from flask import current_app, session
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from app.core.errors import DomainError
from app.core.memo import kept


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
    """Show a service's refusal next to the field it concerns, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
