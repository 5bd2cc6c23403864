"""Account forms. Field names are part of the contract with later features and tests."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, Length

from app.auth.passwords import MAX_LENGTH, MIN_LENGTH
from app.core.countries import country_choices, country_name
from app.core.forms import Form
from app.core.i18n import LANGUAGES, autonym
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
    choices = [*_choices(own, _("Time zones of %(country)s", country=country_name(country))),
               *(choice for choice in timezone_choices() if choice.value not in names)]
    if current and all(choice.value != current for choice in choices):
        choices.insert(0, SelectChoice(current, current.replace("_", " ")))
    return choices


def _countries() -> list[SelectChoice]:
    """The country list in the page's language: built for each form, not at import."""
    return [SelectChoice("", _("Choose your country…")),
            *(SelectChoice(code, name) for code, name in country_choices())]


def _country_field() -> SelectField:
    return SelectField(_l("Country"), choices=_countries,
                       validators=[DataRequired(_l("Choose your country."))])


def _interface_languages() -> list[SelectChoice]:
    """"As my browser asks" (stored as no language), then each language by its own name."""
    return [SelectChoice("", _("As my browser asks")),
            *(SelectChoice(tag, autonym(tag), render_kw={"lang": tag}) for tag in LANGUAGES)]


class RegisterForm(Form):
    name = StringField(_l("Full name"),
                       validators=[DataRequired(_l("Enter your name.")), Length(max=200)],
                       render_kw={"autocomplete": "name"})
    email = EmailField(_l("E-mail address"),
                       validators=[DataRequired(_l("Enter your e-mail address.")),
                                   Length(max=254)],
                       render_kw={"autocomplete": "email"})
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Choose a password."))],
        description=_l("At least %(min)s characters, hard to guess (not a common password or "
                       "your name); a short sentence of your own is easy to remember.",
                       min=MIN_LENGTH),
        render_kw={"autocomplete": "new-password", "minlength": MIN_LENGTH,
                   "maxlength": MAX_LENGTH},
    )
    country = _country_field()
    timezone = SelectField(
        _l("Time zone"), default="",
        choices=lambda: [SelectChoice("", _("The time zone of my country")),
                         *timezone_choices()],
        description=_l("Live session times are shown in this time zone. If your country has "
                       "several, you will be asked which is yours."))
    organisation = StringField(_l("Organisation"), validators=[Length(max=200)],
                               description=_l("Your employer or training centre (optional)."),
                               render_kw={"autocomplete": "organization"})
    submit = SubmitField(_l("Create account"))

    def offer_zones_of(self, country: str | None) -> None:
        """Put the country's own zones first in the list."""
        self.timezone.choices = [SelectChoice("", _("Choose your time zone…")),
                                 *zone_choices_for(country)]


class LoginForm(Form):
    email = EmailField(_l("E-mail address"),
                       validators=[DataRequired(_l("Enter your e-mail address."))],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"),
                             validators=[DataRequired(_l("Enter your password."))],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Log in"))


class ProfileForm(Form):
    name = StringField(_l("Full name"),
                       validators=[DataRequired(_l("Enter your name.")), Length(max=200)],
                       render_kw={"autocomplete": "name"})
    country = _country_field()
    organisation = StringField(_l("Organisation"), validators=[Length(max=200)],
                               render_kw={"autocomplete": "organization"})
    timezone = SelectField(_l("Time zone"), choices=timezone_choices(),
                           description=_l("Session times are shown in this time zone."))
    # Checked by the service (choose_language); a form sent without it keeps the choice.
    language = SelectField(
        _l("Interface language"), choices=_interface_languages, validate_choice=False,
        description=_l("The language of TrainHub's pages. Courses keep the language they "
                       "are written in."))
    submit = SubmitField(_l("Save profile"))


class ChangePasswordForm(Form):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(_l("Choose a new password."))],
        description=_l("At least %(min)s characters, hard to guess. Your other devices will be "
                       "logged out.", min=MIN_LENGTH),
        render_kw={"autocomplete": "new-password", "minlength": MIN_LENGTH,
                   "maxlength": MAX_LENGTH},
    )
    submit = SubmitField(_l("Change password"))


class AddressForm(Form):
    """One e-mail address: where to send a reset link, or a confirmation link again."""

    email = EmailField(_l("E-mail address"),
                       validators=[DataRequired(_l("Enter your e-mail address.")),
                                   Length(max=254)],
                       render_kw={"autocomplete": "email"})
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(Form):
    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(_l("Choose a new password."))],
        description=_l("At least %(min)s characters, hard to guess (not a common password or "
                       "your name). Every device logged in to your account will be logged out.",
                       min=MIN_LENGTH),
        render_kw={"autocomplete": "new-password", "minlength": MIN_LENGTH,
                   "maxlength": MAX_LENGTH},
    )
    confirm_password = PasswordField(
        _l("New password again"),
        validators=[DataRequired(_l("Type the new password a second time.")),
                    EqualTo("new_password", _l("The two passwords are not the same: type the "
                                               "new password twice."))],
        render_kw={"autocomplete": "new-password", "maxlength": MAX_LENGTH},
    )
    submit = SubmitField(_l("Set my new password"))


class ConfirmEmailForm(Form):
    submit = SubmitField(_l("Confirm my e-mail address"))
