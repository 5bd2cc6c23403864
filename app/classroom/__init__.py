"""Live sessions: scheduling, registration with a waitlist, attendance, calendar files."""

from flask import Blueprint, Flask

bp = Blueprint("classroom", __name__, url_prefix="/classroom")

from app.classroom import notices, panels, queries, reminders, routes, services  # noqa: E402, F401
from app.core.auth import POLICIES  # noqa: E402
from app.jobs import JOBS  # noqa: E402
from app.learning.panels import DASHBOARD_PANELS, MODULE_HEAD_PANELS, STAFF_LINKS, TODO_ITEMS  # noqa: E402
from app.learning.services import REQUIREMENT_CHECKS  # noqa: E402
from app.records.checks import ROW_READERS  # noqa: E402


def init_app(app: Flask) -> None:
    """Its pages, the "attendance" requirement, the dashboard panel, its page on "Manage
    course", its policies, the table records verify reads, its notices and the reminders'
    job."""
    app.register_blueprint(bp)
    REQUIREMENT_CHECKS.register(app, "attendance", services.attended)
    DASHBOARD_PANELS.add(app, panels.upcoming_sessions_panel)
    MODULE_HEAD_PANELS.add(app, panels.next_dates_panel)
    STAFF_LINKS.add(app, panels.classroom_staff_links)
    TODO_ITEMS.add(app, panels.attendance_todo)
    POLICIES.register(app, "session.schedule", services.may_schedule)
    POLICIES.register(app, "session.take_attendance", services.may_take_attendance)
    POLICIES.register(app, "session.see_join_link", services.may_see_join_link)
    ROW_READERS.register(app, "attendance", queries.attendance_rows)
    notices.init_notices(app)
    JOBS.register(app, reminders.remind_sessions.name, reminders.remind_sessions)
