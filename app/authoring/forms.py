"""Forms of the authoring feature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.core.forms import Form


class UploadForm(Form):
    archive = FileField(_l("Course archive (.zip of the course folder)"),
                        validators=[FileRequired(_l("Choose a .zip file."))])


class NewCourseForm(Form):
    slug = StringField(_l("Course id"), validators=[DataRequired(_l("Give the course an id.")),
                                                    Length(max=100)],
                       description=_l('Lowercase letters, digits and "-", for example '
                                      '"cleanroom-basics". It becomes part of the address.'))
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the course a title.")),
                                                 Length(max=300)])


class EditForm(Form):
    text = TextAreaField(_l("File contents"))
    base_revision = HiddenField()


class AddModuleForm(Form):
    filename = StringField(_l("File name"),
                           validators=[DataRequired(_l("Give the file a name."))],
                           description=_l('Like "03-cleaning-validation.md".'))
    title = StringField(_l("Module title"), validators=[Length(max=300)])


class RenameForm(Form):
    new_name = StringField(_l("New file name"),
                           validators=[DataRequired(_l("Give the new name."))])
    keep_id = BooleanField(_l("Keep the module's id, so that learners keep their progress "
                              "(adds the old id to aliases)"), default=True)


class MediaForm(Form):
    media = FileField(_l("Media file (svg, png, jpg, webp or pdf)"),
                      validators=[FileRequired(_l("Choose a file."))])
