"""Grading: the assessor's queue and grading essays against their rubric."""

from flask import Blueprint, Flask

bp = Blueprint("grading", __name__)  # /grading/... and /courses/<id>/gradebook

from app.core.auth import POLICIES  # noqa: E402
from app.grading import queries, routes, services  # noqa: E402, F401
from app.quizzes.queries import ATTEMPT_GRADES  # noqa: E402
from app.records.checks import ROW_READERS  # noqa: E402


def init_app(app: Flask) -> None:
    """Its pages, the grades an attempt's review shows, its policy, and the table records
    verify reads."""
    app.register_blueprint(bp)
    ATTEMPT_GRADES.add(app, services.latest_grades)
    POLICIES.register(app, "attempt.grade", services.may_grade)
    ROW_READERS.register(app, "question_grades", queries.grade_rows)
