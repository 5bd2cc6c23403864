"""Grading: the assessor's queue and grading essays against their rubric."""

from flask import Blueprint

bp = Blueprint("grading", __name__)  # /grading/... and /courses/<id>/gradebook

from app.grading import routes  # noqa: E402, F401
