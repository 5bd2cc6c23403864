"""Forms of the certificates feature."""

from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.core.forms import Form


class RevokeForm(Form):
    reason = TextAreaField("Reason for revoking", validators=[
        DataRequired("Say why the certificate is revoked."), Length(max=2000)],
        description="Kept in the audit trail; the public verification page shows only the "
                    "date of revocation.")


class LookupForm(Form):
    class Meta:
        csrf = False  # a GET lookup changes nothing

    code = StringField("Verification code", validators=[DataRequired("Enter the code.")])
