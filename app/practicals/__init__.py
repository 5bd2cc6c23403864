"""Hands-on practicals: an assessor observes a learner against a checklist and signs."""

from flask import Blueprint

bp = Blueprint("practicals", __name__, url_prefix="/practicals")

from app.practicals import routes  # noqa: E402, F401
