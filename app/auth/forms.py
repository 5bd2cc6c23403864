"""Account forms. Field names are part of the contract with later features and tests."""

from __future__ import annotations

from collections.abc import Sequence
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
from app.core.countries import country_choices, country_name
from app.core.forms import Form
from app.core.zones import Zone, canonical_zones, country_zones


def _choices(zones: Sequence[Zone], group: str | None = None) -> list[SelectChoice]:
    return [SelectChoice(z.name, z.label, optgroup=group or (None if z.name == "UTC"
                                                               else z.region)) for z in zones]


@cache
def timezone_choices() -> tuple[SelectChoice, ...]:
    """UTC, then the canonical zones grouped by region (Africa, America, Asia, ...)."""
    return tuple(_choices(canonical_zones()))


def zone_choices_for(country: str | None, current: str | None = None) -> list[SelectChoice]:
    """The country's zones first, in a group of their own, then every other canonical zone;
    and `current` if it is none of them (an alias chosen before the list was canonical)."""
    own = country_zones(country)
    names = {zone.name for zone in own}
    choices = [*_choices(own, f"Time zones of {country_name(country)}"),
               *(choice for choice in timezone_choices() if choice.value not in names)]
    if current and all(choice.value != current for choice in choices):
        choices.insert(0, SelectChoice(current, current.replace("_", " ")))
    return choices


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
    timezone = SelectField(
        "Time zone", default="", choices=[SelectChoice("", "The time zone of my country"),
                              *timezone_choices()],
        description="Live session times are shown in this time zone. If your country has "
                    "several, you will be asked which is yours.")
    organisation = StringField("Organisation", validators=[Length(max=200)],
                               description="Your employer or training centre (optional).",
                               render_kw={"autocomplete": "organization"})
    submit = SubmitField("Create account")

    def offer_zones_of(self, country: str | None) -> None:
        """Put the country's own zones first in the list."""
        self.timezone.choices = [SelectChoice("", "Choose your time zone…"),
                                 *zone_choices_for(country)]


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
