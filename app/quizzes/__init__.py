"""Quizzes: question types by registry, attempts with append-only answers."""

from flask import Blueprint, Flask

bp = Blueprint("quizzes", __name__, url_prefix="/quizzes")

from app.quizzes.types import points_text  # noqa: E402

bp.add_app_template_global(points_text)

from app.jobs import JOBS  # noqa: E402
from app.learning.panels import MODULE_PANELS  # noqa: E402
from app.learning.services import REQUIREMENT_CHECKS  # noqa: E402
from app.quizzes import cli, jobs, queries, routes, services  # noqa: E402, F401
from app.records.checks import ROW_READERS  # noqa: E402


def init_app(app: Flask) -> None:
    """Its pages and commands, the "assessment" requirement, the quiz panels of a module
    page, the table records verify reads, and the job that finishes overdue attempts."""
    app.register_blueprint(bp)
    JOBS.register(app, jobs.finish_overdue.name, jobs.finish_overdue)
    REQUIREMENT_CHECKS.register(app, "assessment", services.assessments_passed)
    MODULE_PANELS.add(app, queries.quiz_slot_panels)
    ROW_READERS.register(app, "attempts", queries.attempt_rows)
