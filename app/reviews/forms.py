"""Forms of reviewing. A score's points are read with `read_items` (fields named
`points-<criterion key>`); the form itself carries the comment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.core.forms import Form
from app.reviews.services import COMMENT_LENGTH, REASON_LENGTH


class ReviewerForm(Form):
    email = StringField(_l("E-mail address of the reviewer's account"), validators=[
        DataRequired(_l("Give the e-mail address of an account.")), Length(max=254)])


class AssignForm(Form):
    application = IntegerField(validators=[DataRequired()])
    reviewer = SelectField(_l("Reviewer"), coerce=int, validate_choice=False,
                           validators=[DataRequired(_l("Choose a reviewer."))])
    # Where the officer was on the list, to show it again with the form's errors.
    page = IntegerField(validators=[Optional()])
    short = HiddenField()


class ScoreForm(Form):
    comment = TextAreaField(_l("Comment for the committee"), validators=[
        Optional(), Length(max=COMMENT_LENGTH)],
        description=_l("What the committee should know about your points. The applicant "
                       "never sees it."))


class ConflictForm(Form):
    reason = TextAreaField(_l("Why you cannot review this application fairly"), validators=[
        DataRequired(_l("Say why, in a few words: the officers read it.")),
        Length(max=REASON_LENGTH)],
        description=_l("For example: \"I work with the applicant\" or \"a relative\". The "
                       "call's officers read it; the applicant does not."))
