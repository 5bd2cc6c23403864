"""Forms of the classroom feature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.auth.forms import timezone_choices
from app.core.forms import Form


class ScheduleForm(Form):
    module = SelectField(_l("Module"), coerce=int,
                         validators=[DataRequired(_l("Choose the module of the session."))])
    date = DateField(_l("Date"), validators=[DataRequired(_l("Give the date of the session."))])
    start = TimeField(_l("Starts at"), validators=[DataRequired(_l("Give the start time."))])
    end = TimeField(_l("Ends at"), validators=[DataRequired(_l("Give the end time."))])
    timezone = SelectField(_l("Time zone of these times"), choices=timezone_choices())
    capacity = IntegerField(_l("Seats"),
                            validators=[Optional(), NumberRange(min=1, max=10_000)],
                            description=_l("Leave empty for the number the course file gives."))
    facilitator = SelectField(_l("Facilitator"), coerce=int,
                              validators=[DataRequired(_l("Choose the facilitator."))])
    location = StringField(_l("Room or place (classroom and hands-on sessions)"),
                           validators=[Length(max=300)])
    join_url = URLField(_l("Join link (online sessions)"), validators=[Length(max=500)],
                        description=_l("Shown only to registered learners and staff."))


class ChangeForm(ScheduleForm):
    """The schedule form without the module: a session keeps its module."""

    module = None


class CancelSessionForm(Form):
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(_l("Give the reason: the learners read it.")),
                                  Length(max=2000)],
        description=_l("Sent to every learner holding a seat or a waitlist place, and kept "
                       "on record."))
