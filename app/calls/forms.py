"""The call form's settings. The rows of the form builder and of the rubric are read by
`reading.py` (their inputs are named `question-<n>-...` and `criterion-<n>-...`); the
country lines of the quotas are text areas read there too."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.auth.forms import timezone_choices
from app.calls.checking import ORGANISATION_TYPES
from app.calls.labels import CALL_KIND_LABELS, COUNTRY_RULE_LABELS, ORGANISATION_TYPE_LABELS
from app.core.forms import Form
from app.core.i18n import LANGUAGES, autonym

WALL_CLOCK = "%Y-%m-%dT%H:%M"


def _checkboxes(label: object, choices: object, **kwargs: object) -> SelectMultipleField:
    return SelectMultipleField(label, choices=choices, widget=ListWidget(prefix_label=False),
                               option_widget=CheckboxInput(), **kwargs)


def _optional_int(raw: object) -> int | None:
    return None if raw in (None, "") else int(str(raw))


class CallForm(Form):
    version = HiddenField()
    kind = RadioField(_l("The call is for"), default="trainee", choices=lambda: [
        SelectChoice(code, str(label)) for code, label in CALL_KIND_LABELS.items()])
    centre_id = SelectField(_l("Centre"), coerce=int, validate_choice=True)
    intake_id = SelectField(_l("Intake"), coerce=_optional_int,
                            description=_l("The intake whose places the call fills. None "
                                           "for a call for centres."))
    code = StringField(_l("Code"), description=_l("Short and unique at the centre, like "
                                                  "IBDM-2026-06."))
    title = StringField(_l("Title"))
    description = TextAreaField(_l("Description"), render_kw={"rows": 10},
                                description=_l("Markdown: headings, lists, links, bold. "
                                               "It is shown on the call's public page."))
    timezone = SelectField(_l("Time zone of the dates"), choices=timezone_choices(),
                           default="Asia/Seoul",
                           description=_l("The deadline is shown in this zone, and in each "
                                          "applicant's own."))
    opens_at = DateTimeLocalField(_l("Opens"), format=WALL_CLOCK, validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Closes (the deadline)"), format=WALL_CLOCK,
                                   validators=[Optional()])
    places = IntegerField(_l("Places"), validators=[Optional(), NumberRange(min=0)])
    languages = _checkboxes(_l("Languages of the call"), lambda: [
        SelectChoice(tag, autonym(tag)) for tag in LANGUAGES], default=["en"],
        description=_l("The languages applicants may write in."))
    country_rule = RadioField(_l("Countries"), default="any", choices=lambda: [
        SelectChoice(code, str(label)) for code, label in COUNTRY_RULE_LABELS.items()])
    country_list = StringField(_l("Countries listed"),
                               description=_l("Their two-letter codes, like NG KE GH."))
    residence_too = BooleanField(_l("The country of residence must qualify too"))
    organisation_types = _checkboxes(_l("Organisation types that may apply"), lambda: [
        SelectChoice(code, str(ORGANISATION_TYPE_LABELS[code])) for code in ORGANISATION_TYPES],
        description=_l("None ticked: any organisation."))
    min_experience_years = IntegerField(_l("Years of experience, at least"),
                                        validators=[Optional(), NumberRange(min=0, max=50)])
    country_max = IntegerField(_l("Most places per country"),
                               validators=[Optional(), NumberRange(min=1)])
    country_max_by = TextAreaField(_l("Most places for some countries"), render_kw={"rows": 3},
                                   description=_l("One country a line: its code and a number, "
                                                  "like NG 8."))
    country_min = TextAreaField(_l("Least places for some countries"), render_kw={"rows": 3},
                                description=_l("One country a line, like KR 2: held for "
                                               "them while enough eligible ones applied."))
    organisation_max = IntegerField(_l("Most places per organisation"),
                                    validators=[Optional(), NumberRange(min=1)])
    gender_target = TextAreaField(_l("Gender balance target"), render_kw={"rows": 2},
                                  description=_l("One a line, in percent, like female 50. "
                                                 "Shown to the selection committee only."))
    blind_review = BooleanField(_l("Blind review: reviewers do not see the name, e-mail or "
                                   "organisation"))
    reviews_per_application = IntegerField(_l("Reviews per application"), default=2,
                                           validators=[InputRequired(),
                                                       NumberRange(min=1, max=10)])
    disagreement_percent = IntegerField(
        _l("Disagreement flag (percent of the rubric's maximum)"), default=25,
        validators=[InputRequired(), NumberRange(min=1, max=100)],
        description=_l("Scores of one application further apart than this are flagged."))
    confirm_days = IntegerField(_l("Days to confirm an offered place"), default=14,
                                validators=[InputRequired(), NumberRange(min=1, max=90)])
    asks_travel_details = BooleanField(_l("Ask accepted applicants for their passport details "
                                          "(for a visa letter)"))
    retention_months = IntegerField(
        _l("Keep personal data for (months after the call closes)"), default=12,
        validators=[InputRequired(), NumberRange(min=1, max=120)],
        description=_l("Passport details are then deleted, with an audit event."))
