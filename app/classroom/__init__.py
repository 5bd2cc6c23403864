"""Live sessions: scheduling, registration with a waitlist, attendance, calendar files."""

from flask import Blueprint

bp = Blueprint("classroom", __name__, url_prefix="/classroom")

from app.classroom import panels, routes  # noqa: E402, F401
