"""Authoring in the browser: course sources with revisions, upload, editor, preview,
publish and roll back. `flask courses export` writes a published revision back to files."""

from flask import Blueprint, Flask

bp = Blueprint("authoring", __name__, url_prefix="/authoring")

from app.authoring import cli, routes, services  # noqa: E402, F401
from app.content.importer import FOLDER_IMPORTED_HOOKS  # noqa: E402
from app.core.auth import POLICIES  # noqa: E402


def init_app(app: Flask) -> None:
    """The editor's pages and `flask courses export`, the revision each imported folder
    becomes, and who may author."""
    app.register_blueprint(bp)
    FOLDER_IMPORTED_HOOKS.add(app, services.record_folder_import)
    POLICIES.register(app, "authoring.create", services.may_create)
    POLICIES.register(app, "authoring.edit", services.may_edit)
    POLICIES.register(app, "authoring.preview", services.may_preview)
