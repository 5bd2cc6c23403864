from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from wtforms import EmailField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.core.forms import Form


class DecisionForm(Form):
    reason = StringField(_l("Reason (required to decline; the learner sees it)"),
                         validators=[Length(max=500)])
    accept = SubmitField(_l("Accept"))
    decline = SubmitField(_l("Decline"))


class StaffForm(Form):
    email = EmailField(_l("E-mail of the instructor or assessor"),
                       validators=[DataRequired(_l("Enter an e-mail address."))])
    role = SelectField(_l("Role on this course"), choices=[
        SelectChoice("instructor", lazy_pgettext("course role", "Instructor")),
        SelectChoice("assessor", lazy_pgettext("course role", "Assessor"))])
    submit = SubmitField(_l("Assign"))
