"""Certificates of completion: issue, download, public verification, revocation."""

from flask import Blueprint

bp = Blueprint("certificates", __name__)  # /certificates/... and the public /verify/<code>

from app.certificates import panels, routes  # noqa: E402, F401
