from wtforms import SelectChoice, SelectMultipleField, StringField, SubmitField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.forms import Form
from app.core.roles import Role


class RolesForm(Form):
    roles = SelectMultipleField(
        "Roles",
        choices=[SelectChoice(role.value, role.label) for role in Role],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=True,
    )
    reason = StringField("Reason for the change", validators=[Length(max=500)],
                         description="Kept with the change in the audit trail.")
    submit = SubmitField("Save roles")


class AccountStatusForm(Form):
    reason = StringField("Reason", validators=[Length(max=500)],
                         description="Required to deactivate; kept in the audit trail.")
    submit = SubmitField("Save")


class UnlockForm(Form):
    reason = StringField("Reason", validators=[Length(max=500)],
                         description="Required; kept in the audit trail.")
    submit = SubmitField("Unlock")
