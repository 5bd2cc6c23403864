from wtforms import EmailField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.core.forms import Form


class DecisionForm(Form):
    reason = StringField("Reason (required to decline; the learner sees it)",
                         validators=[Length(max=500)])
    accept = SubmitField("Accept")
    decline = SubmitField("Decline")


class StaffForm(Form):
    email = EmailField("E-mail of the instructor or assessor",
                       validators=[DataRequired("Enter an e-mail address.")])
    role = SelectField("Role on this course", choices=[
        SelectChoice("instructor", "Instructor"), SelectChoice("assessor", "Assessor")])
    submit = SubmitField("Assign")
