"""The signing step, reusable by any feature that needs an electronic signature."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Optional

from app.core.forms import Form


class SignatureForm(Form):
    """Re-enter the password and confirm the meaning: Part 11 asks for both at signing."""

    password = PasswordField(_l("Your password"),
                             validators=[DataRequired(_l("Enter your password."))],
                             render_kw={"autocomplete": "current-password"},
                             description=_l("Your signature needs your password each time."))
    confirm = BooleanField(_l("I understand that this electronic signature is the legally "
                              "binding equivalent of my handwritten signature."),
                           validators=[DataRequired(_l("Confirm that you are signing."))])
    submit = SubmitField(_l("Sign"))


class EventFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter changes nothing

    actor = StringField(_l("Actor (name or e-mail)"), validators=[Optional()])
    action = SelectField(_l("Action"), validators=[Optional()])
    course = SelectField(_l("Course"), validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until (inclusive)"), validators=[Optional()])
