from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectMultipleField, StringField, SubmitField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.forms import Form
from app.core.roles import Role


class RolesForm(Form):
    roles = SelectMultipleField(
        _l("Roles"),
        choices=lambda: [SelectChoice(role.value, role.label) for role in Role],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=True,
    )
    reason = StringField(_l("Reason for the change"), validators=[Length(max=500)],
                         description=_l("Kept with the change in the audit trail."))
    submit = SubmitField(_l("Save roles"))


class AccountStatusForm(Form):
    reason = StringField(_l("Reason"), validators=[Length(max=500)],
                         description=_l("Required to deactivate; kept in the audit trail."))
    submit = SubmitField(_l("Save"))


class UnlockForm(Form):
    reason = StringField(_l("Reason"), validators=[Length(max=500)],
                         description=_l("Required; kept in the audit trail."))
    submit = SubmitField(_l("Unlock"))


class SendResetLinkForm(Form):
    submit = SubmitField(_l("Send a reset link"))
