"""Forms of the certificates feature."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.core.forms import Form


class RevokeForm(Form):
    reason = TextAreaField(_l("Reason for revoking"), validators=[
        DataRequired(_l("Say why the certificate is revoked.")), Length(max=2000)],
        description=_l("Kept in the audit trail; the public verification page shows only the "
                       "date of revocation."))


class LookupForm(Form):
    class Meta:
        csrf = False  # a GET lookup changes nothing

    code = StringField(_l("Verification code"), validators=[DataRequired(_l("Enter the code."))])
