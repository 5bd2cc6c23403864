"""Learning: enrolment, module pages, progress and completion, dashboard, roster."""

from flask import Blueprint

bp = Blueprint("learning", __name__)

from app.learning import routes  # noqa: E402, F401
