"""The course catalog and each course's page."""

from flask import Blueprint

bp = Blueprint("catalog", __name__, url_prefix="/courses")

from app.catalog import routes  # noqa: E402, F401
