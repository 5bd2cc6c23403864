from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField, SubmitField
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.roles import Role


class RolesForm(FlaskForm):
    roles = SelectMultipleField(
        "Roles",
        choices=[SelectChoice(role.value, role.label) for role in Role],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=True,
    )
    submit = SubmitField("Save roles")
