"""The committee's forms: an override with its reason. Signing uses records' SignatureForm."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from app.core.forms import Form
from app.selection.wording import OVERRIDE_CHOICES


class OverrideForm(Form):
    outcome = RadioField(_l("The committee's outcome"),
                         choices=[SelectChoice(key, label)
                                  for key, label in OVERRIDE_CHOICES.items()],
                         validators=[InputRequired(_l("Choose accept, waitlist or regret."))])
    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(_l("Give the committee's reason.")), Length(max=2000)],
        description=_l("Kept with the override and in the audit trail."),
        render_kw={"rows": 4, "cols": 60})
    submit = SubmitField(_l("Override the proposal"))
