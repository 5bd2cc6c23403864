"""Account forms. Field names are part of the contract with later features and tests."""

from __future__ import annotations

import zoneinfo
from functools import cache

from wtforms import (
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length

from app.auth.passwords import MAX_LENGTH, MIN_LENGTH
from app.core.countries import country_choices
from app.core.forms import Form


@cache
def timezone_choices() -> tuple[SelectChoice, ...]:
    return tuple(SelectChoice(tz, tz.replace("_", " "))
                 for tz in sorted(zoneinfo.available_timezones()))


def _country_field(label: str = "Country") -> SelectField:
    return SelectField(
        label,
        choices=[SelectChoice("", "Choose your country…"),
                 *(SelectChoice(code, name) for code, name in country_choices())],
        validators=[DataRequired("Choose your country.")],
    )


class RegisterForm(Form):
    name = StringField("Full name", validators=[DataRequired("Enter your name."), Length(max=200)],
                       render_kw={"autocomplete": "name"})
    email = EmailField("E-mail address", validators=[DataRequired("Enter your e-mail address."),
                                                     Length(max=254)],
                       render_kw={"autocomplete": "email"})
    password = PasswordField(
        "Password", validators=[DataRequired("Choose a password.")],
        description=f"At least {MIN_LENGTH} characters, hard to guess (not a common password "
                    "or your name); a short sentence of your own is easy to remember.",
        render_kw={"autocomplete": "new-password", "minlength": MIN_LENGTH,
                   "maxlength": MAX_LENGTH},
    )
    country = _country_field()
    organisation = StringField("Organisation", validators=[Length(max=200)],
                               description="Your employer or training centre (optional).",
                               render_kw={"autocomplete": "organization"})
    submit = SubmitField("Create account")


class LoginForm(Form):
    email = EmailField("E-mail address", validators=[DataRequired("Enter your e-mail address.")],
                       render_kw={"autocomplete": "username"})
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField("Log in")


class ProfileForm(Form):
    name = StringField("Full name", validators=[DataRequired("Enter your name."), Length(max=200)],
                       render_kw={"autocomplete": "name"})
    country = _country_field()
    organisation = StringField("Organisation", validators=[Length(max=200)],
                               render_kw={"autocomplete": "organization"})
    timezone = SelectField("Time zone", choices=timezone_choices(),
                           description="Session times are shown in this time zone.")
    submit = SubmitField("Save profile")


class ChangePasswordForm(Form):
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        "New password", validators=[DataRequired("Choose a new password.")],
        description=f"At least {MIN_LENGTH} characters, hard to guess. Your other devices will "
                    "be logged out.",
        render_kw={"autocomplete": "new-password", "minlength": MIN_LENGTH,
                   "maxlength": MAX_LENGTH},
    )
    submit = SubmitField("Change password")
