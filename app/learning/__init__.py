"""Learning: enrolment, module pages, progress and completion, dashboard, roster."""

from flask import Blueprint, Flask

bp = Blueprint("learning", __name__)

from app.learning.templating import duration, state_badge  # noqa: E402

bp.add_app_template_global(state_badge)
bp.add_app_template_global(duration)

from app.content.importer import VERSION_RAISED_HOOKS  # noqa: E402
from app.core.auth import POLICIES  # noqa: E402
from app.learning import queries, routes, services  # noqa: E402, F401
from app.records.checks import ROW_READERS  # noqa: E402


def init_app(app: Flask) -> None:
    """Its pages, retraining when an import raises a version, its policies, and the tables
    records verify reads. "read", its own requirement, needs no check."""
    app.register_blueprint(bp)
    VERSION_RAISED_HOOKS.add(app, services.flag_retraining)
    POLICIES.register(app, "course.manage", services.may_manage)
    POLICIES.register(app, "course.preview", services.may_preview)
    POLICIES.register(app, "course.assign_staff", services.may_assign)
    # Learning knows who teaches whom, so it decides who sees a learner's record.
    POLICIES.register(app, "records.view_learner", services.may_view_record)
    ROW_READERS.register(app, "enrolments", queries.enrolment_rows)
    ROW_READERS.register(app, "module_progress", queries.progress_rows)
