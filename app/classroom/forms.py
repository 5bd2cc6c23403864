"""Forms of the classroom feature."""

from __future__ import annotations

from wtforms import DateField, IntegerField, SelectField, StringField, TimeField, URLField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.auth.forms import timezone_choices
from app.core.forms import Form


class ScheduleForm(Form):
    module = SelectField("Module", coerce=int,
                         validators=[DataRequired("Choose the module of the session.")])
    date = DateField("Date", validators=[DataRequired("Give the date of the session.")])
    start = TimeField("Starts at", validators=[DataRequired("Give the start time.")])
    end = TimeField("Ends at", validators=[DataRequired("Give the end time.")])
    timezone = SelectField("Time zone of these times", choices=timezone_choices())
    capacity = IntegerField("Seats", validators=[Optional(), NumberRange(min=1, max=10_000)],
                            description="Leave empty for the number the course file gives.")
    facilitator = SelectField("Facilitator", coerce=int,
                              validators=[DataRequired("Choose the facilitator.")])
    location = StringField("Room or place (classroom and hands-on sessions)",
                           validators=[Length(max=300)])
    join_url = URLField("Join link (online sessions)", validators=[Length(max=500)],
                        description="Shown only to registered learners and staff.")
