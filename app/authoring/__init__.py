"""Authoring in the browser: course sources with revisions, upload, editor, preview,
publish and roll back. `flask courses export` writes a published revision back to files."""

from flask import Blueprint

bp = Blueprint("authoring", __name__, url_prefix="/authoring")

# The policies and the folder-import hook register themselves when their modules load.
from app.authoring import cli, folders, policies, routes  # noqa: E402, F401
