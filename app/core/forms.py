"""Form helpers shared by features."""

from flask_wtf import FlaskForm

from app.core.errors import DomainError


class EmptyForm(FlaskForm):
    """A form with only the CSRF token: for buttons that change state (log out, enrol, ...)."""


def attach_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's refusal next to the field it concerns, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
