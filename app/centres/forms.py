"""The centre pages' forms: a centre's fields, its logo, and a role at it."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from app.auth.forms import timezone_choices
from app.centres.models import CENTRE_ROLES
from app.centres.services import CentreDetails
from app.core.countries import country_choices
from app.core.forms import Form
from app.core.i18n import LANGUAGES, autonym

ROLE_LABELS = {
    # Translators: roles held at a training centre.
    "centre_admin": _l("Centre administrator"),
    "instructor": _l("Instructor"),
    "assessor": _l("Assessor"),
    "programme_officer": _l("Programme officer"),
}


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def _countries() -> list[SelectChoice]:
    return [SelectChoice("", _("Choose a country…")),
            *(SelectChoice(code, name) for code, name in country_choices())]


class CentreForm(Form):
    code = StringField(_l("Code"), validators=[DataRequired(_l("Enter a short code.")),
                                               Length(max=16)],
                       description=_l("2 to 16 capital letters, digits and hyphens: it is "
                                      "part of the centre's addresses."))
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the centre's name.")),
                                               Length(max=200)])
    country = SelectField(_l("Country"), choices=_countries,
                          validators=[DataRequired(_l("Choose a country."))])
    region = StringField(_l("Region"), validators=[Length(max=60)],
                         description=_l("For example the WHO region: Africa, Western "
                                        "Pacific."))
    timezone = SelectField(_l("Time zone"), choices=timezone_choices(), default="UTC")
    languages = SelectMultipleField(
        _l("Languages"),
        choices=lambda: [SelectChoice(tag, autonym(tag)) for tag in LANGUAGES],
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        validators=[DataRequired(_l("Choose at least one language."))])
    contact_email = EmailField(_l("Contact e-mail"), validators=[Length(max=254)])
    contact_phone = StringField(_l("Contact telephone"), validators=[Length(max=50)])
    address = TextAreaField(_l("Address"), validators=[Length(max=1000)])
    website = StringField(_l("Website"), validators=[Length(max=300)])
    primary_colour = StringField(
        _l("Main colour"), default="#1d4f73", validators=[Length(max=7)],
        description=_l("#rrggbb, dark enough for white text on it (WCAG AA, 4.5:1)."),
        render_kw={"type": "color"})
    accent_colour = StringField(
        _l("Accent colour"), default="#2f7d4f", validators=[Length(max=7)],
        description=_l("#rrggbb, dark enough for white text on it (WCAG AA, 4.5:1)."),
        render_kw={"type": "color"})
    active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save the centre"))

    def details(self) -> CentreDetails:
        return CentreDetails(
            code=self.code.data or "", name=self.name.data or "",
            country=self.country.data or "", region=self.region.data or "",
            timezone=self.timezone.data or "UTC", languages=tuple(self.languages.data or ()),
            contact_email=self.contact_email.data or "",
            contact_phone=self.contact_phone.data or "", address=self.address.data or "",
            website=self.website.data or "", primary_colour=self.primary_colour.data or "",
            accent_colour=self.accent_colour.data or "", active=bool(self.active.data))


class LogoForm(Form):
    logo = FileField(_l("Logo (PNG or JPEG, at most 512 KB)"))
    remove = BooleanField(_l("Remove the logo"))
    submit = SubmitField(_l("Save the logo"))


class GrantRoleForm(Form):
    email = EmailField(_l("E-mail address of the person"),
                       validators=[DataRequired(_l("Enter an e-mail address.")),
                                   Length(max=254)])
    role = SelectField(_l("Role"),
                       choices=lambda: [SelectChoice(r, role_label(r)) for r in CENTRE_ROLES])
    submit = SubmitField(_l("Grant the role"))


class RemoveRoleForm(Form):
    submit = SubmitField(_l("Remove"))
