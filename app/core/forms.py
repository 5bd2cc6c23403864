"""Form helpers shared by features."""

from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from app.core.errors import DomainError


class EmptyForm(FlaskForm):
    """A form with only the CSRF token: for buttons that change state (log out, enrol, ...)."""


def csrf_field() -> Markup:
    """The hidden CSRF input of an `EmptyForm`, for templates: the same token that
    CSRFProtect checks on every POST, without building a form object for each button."""
    return Markup('<input name="csrf_token" type="hidden" value="{}">').format(generate_csrf())


def attach_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's refusal next to the field it concerns, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
