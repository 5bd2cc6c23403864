"""Authoring in the browser: course sources with revisions, upload, editor, preview,
publish and roll back. `flask courses export` writes a published revision back to files."""

from flask import Blueprint, Flask

bp = Blueprint("authoring", __name__, url_prefix="/authoring")

from app.authoring import cli, folders, panels, policies, routes  # noqa: E402, F401
from app.content.importer import FOLDER_IMPORTED_HOOKS  # noqa: E402
from app.core.auth import POLICIES  # noqa: E402
from app.learning.panels import STAFF_LINKS  # noqa: E402


def init_app(app: Flask) -> None:
    """The editor's pages and `flask courses export`, the revision each imported folder
    becomes, its page on "Manage course", and who may author."""
    app.register_blueprint(bp)
    FOLDER_IMPORTED_HOOKS.add(app, folders.record_folder_import)
    STAFF_LINKS.add(app, panels.authoring_staff_links)
    POLICIES.register(app, "authoring.create", policies.may_create)
    POLICIES.register(app, "authoring.edit", policies.may_edit)
    POLICIES.register(app, "authoring.preview", policies.may_preview)
