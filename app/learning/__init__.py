"""Learning: enrolment, module pages, progress and completion, dashboard, roster."""

from flask import Blueprint

bp = Blueprint("learning", __name__)

from app.learning.templating import duration, state_badge  # noqa: E402

bp.add_app_template_global(state_badge)
bp.add_app_template_global(duration)

from app.learning import routes  # noqa: E402, F401
