"""The offers' forms: the answer to an offer (asked twice: the second post is sure), and
the centre form with one more choice for a centre application."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField

from app.centres.forms import CentreForm
from app.core.forms import Form


class AnswerForm(Form):
    # Set by the confirmation step's button: the first post only asks "are you sure?".
    sure = HiddenField(default="")


class CentreFromApplicationForm(CentreForm):
    make_admin = BooleanField(_l("Make the applicant the new centre's administrator"),
                              default=True)
