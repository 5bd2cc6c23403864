"""Programmes and intakes: ordered sets of courses with their requirements, and the runs of
them that a centre holds for a group of trainees."""

from flask import Blueprint, Flask

bp = Blueprint("intakes", __name__, url_prefix="/intakes")

from app.core.auth import POLICIES  # noqa: E402
from app.intakes import access, completion, models, panels, routes, sessions  # noqa: E402, F401
from app.intakes.cli import intakes_cli  # noqa: E402
from app.learning.panels import DASHBOARD_PANELS  # noqa: E402
from app.learning.services import COURSE_COMPLETED_HOOKS  # noqa: E402


def init_app(app: Flask) -> None:
    """Its pages and command, its policies, the intake's schedule on the dashboard, and
    completing an intake when a course completes."""
    app.register_blueprint(bp)
    app.cli.add_command(intakes_cli)
    POLICIES.register(app, "intakes.manage_centre", access.may_manage_centre)
    POLICIES.register(app, "intake.manage", access.may_manage_intake)
    POLICIES.register(app, "intake.follow", access.may_follow_intake)
    DASHBOARD_PANELS.add(app, panels.intake_schedule_panel)
    COURSE_COMPLETED_HOOKS.add(app, completion.on_course_completed)
