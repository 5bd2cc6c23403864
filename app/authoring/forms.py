"""Forms of the authoring feature."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.core.forms import Form


class UploadForm(Form):
    archive = FileField("Course archive (.zip of the course folder)",
                        validators=[FileRequired("Choose a .zip file.")])


class NewCourseForm(Form):
    slug = StringField("Course id", validators=[DataRequired("Give the course an id."),
                                                Length(max=100)],
                       description='Lowercase letters, digits and "-", for example '
                                   '"cleanroom-basics". It becomes part of the address.')
    title = StringField("Title", validators=[DataRequired("Give the course a title."),
                                             Length(max=300)])


class EditForm(Form):
    text = TextAreaField("File contents")
    base_revision = HiddenField()


class AddModuleForm(Form):
    filename = StringField("File name", validators=[DataRequired("Give the file a name.")],
                           description='Like "03-cleaning-validation.md".')
    title = StringField("Module title", validators=[Length(max=300)])


class RenameForm(Form):
    new_name = StringField("New file name", validators=[DataRequired("Give the new name.")])
    keep_id = BooleanField("Keep the module's id, so that learners keep their progress "
                           "(adds the old id to aliases)", default=True)


class MediaForm(Form):
    media = FileField("Media file (svg, png, jpg, webp or pdf)",
                      validators=[FileRequired("Choose a file.")])
