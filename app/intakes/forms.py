"""Forms of programmes and intakes. The per-course, per-person and per-module rows are read
with `read_items` (their fields are named `course-<id>-...`, `staff-<id>`, `day-<id>`); the
hidden fields here only carry those rows' errors."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.auth.forms import timezone_choices
from app.classroom.forms import ScheduleForm
from app.core.forms import Form

REQUIREMENT_CHOICES = [
    SelectChoice("all", _l("Every course")),
    SelectChoice("n_of_m", _l("A number of the courses (N of M)")),
    SelectChoice("modality", _l("A number of courses of each modality")),
]


def _days(label: str) -> IntegerField:
    return IntegerField(label, default=0, validators=[Optional(), NumberRange(min=0, max=366)])


class ProgrammeForm(Form):
    code = StringField(_l("Code"), validators=[DataRequired(_l("Give the programme a short "
                                                              "code.")), Length(max=40)])
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the programme a "
                                                                "title.")), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    courses = HiddenField(_l("Courses"))
    requirement = RadioField(_l("Completed by"), choices=REQUIREMENT_CHOICES, default="all")
    required_count = IntegerField(_l("Number of courses (N of M)"),
                                  validators=[Optional(), NumberRange(min=1, max=500)])
    virtual_count = IntegerField(_l("Virtual courses"), validators=[Optional(),
                                                                    NumberRange(min=0)])
    classroom_count = IntegerField(_l("Classroom courses"), validators=[Optional(),
                                                                        NumberRange(min=0)])
    hands_on_count = IntegerField(_l("Hands-on courses"), validators=[Optional(),
                                                                      NumberRange(min=0)])
    certificate = BooleanField(_l("Give a programme certificate on completion"), default=True)


class IntakeForm(Form):
    code = StringField(_l("Code"), validators=[DataRequired(_l("Give the intake a short "
                                                              "code.")), Length(max=40)])
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the intake a title.")),
                                                 Length(max=300)])
    starts_on = DateField(_l("First day"), validators=[DataRequired(_l("Give the first "
                                                                      "day."))])
    ends_on = DateField(_l("Last day"), validators=[DataRequired(_l("Give the last day."))])
    timezone = SelectField(_l("Time zone"), choices=timezone_choices())
    seats = IntegerField(_l("Seats"), validators=[DataRequired(_l("Give the number of "
                                                                 "seats.")),
                                                  NumberRange(min=1, max=100_000)])
    virtual_days = _days(_l("Virtual days"))
    classroom_days = _days(_l("Classroom days"))
    hands_on_days = _days(_l("Hands-on days (at a facility)"))
    staff = HiddenField(_l("Facilitator team"))


class DeadlinesForm(Form):
    deadlines = HiddenField(_l("Deadlines"))


class IntakeSessionForm(ScheduleForm):
    """The classroom's schedule form; its module choices are the programme's live modules
    and its facilitators the intake's team."""


class ImportForm(Form):
    file = FileField(_l("CSV file of trainees"),
                     validators=[FileRequired(_l("Choose a CSV file."))],
                     description=_l("A header row, then one trainee a row: name, email, "
                                    "country, organisation, and optionally language, gender "
                                    "and organisation_type. UTF-8."))


class ConfirmImportForm(Form):
    csv_text = HiddenField()
