"""Authoring in the browser: course sources with revisions, upload, editor, preview,
publish and roll back. `flask courses export` writes a published revision back to files."""

from flask import Blueprint, Flask

bp = Blueprint("authoring", __name__, url_prefix="/authoring")

from app.authoring import cli, folders, policies, routes  # noqa: E402, F401
from app.content.importer import FOLDER_IMPORTED_HOOKS  # noqa: E402
from app.core.auth import POLICIES  # noqa: E402


def init_app(app: Flask) -> None:
    """The editor's pages and `flask courses export`, the revision each imported folder
    becomes, and who may author."""
    app.register_blueprint(bp)
    FOLDER_IMPORTED_HOOKS.add(app, folders.record_folder_import)
    POLICIES.register(app, "authoring.create", policies.may_create)
    POLICIES.register(app, "authoring.edit", policies.may_edit)
    POLICIES.register(app, "authoring.preview", policies.may_preview)
