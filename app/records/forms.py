"""The signing step, reusable by any feature that needs an electronic signature."""

from wtforms import BooleanField, DateField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Optional

from app.core.forms import Form


class SignatureForm(Form):
    """Re-enter the password and confirm the meaning: Part 11 asks for both at signing."""

    password = PasswordField("Your password", validators=[DataRequired("Enter your password.")],
                             render_kw={"autocomplete": "current-password"},
                             description="Your signature needs your password each time.")
    confirm = BooleanField("I understand that this electronic signature is the legally "
                           "binding equivalent of my handwritten signature.",
                           validators=[DataRequired("Confirm that you are signing.")])
    submit = SubmitField("Sign")


class EventFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter changes nothing

    actor = StringField("Actor (name or e-mail)", validators=[Optional()])
    action = SelectField("Action", validators=[Optional()])
    course = SelectField("Course", validators=[Optional()])
    since = DateField("From", validators=[Optional()])
    until = DateField("Until (inclusive)", validators=[Optional()])
