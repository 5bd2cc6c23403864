"""Learning: enrolment, module pages, progress and completion, dashboard, roster."""

from flask import Blueprint, Flask

bp = Blueprint("learning", __name__, url_prefix="/learning")

from app.learning.templating import duration, state_badge  # noqa: E402

bp.add_app_template_global(state_badge)
bp.add_app_template_global(duration)

from app.auth.demo import DEMO_ACCOUNT_HOOKS  # noqa: E402
from app.content.importer import VERSION_RAISED_HOOKS  # noqa: E402
from app.core.auth import POLICIES  # noqa: E402
from app.core.moved import redirect_moved  # noqa: E402
from app.jobs import JOBS  # noqa: E402
from app.learning import demo, notices, panels, queries, routes, services  # noqa: E402, F401
from app.records.checks import ROW_READERS  # noqa: E402

# Learning's pages were under the catalog's /courses/<course>/. The oldest module address,
# /courses/<course>/<module>, is from before modules had their own segment: a fixed page of
# the course (roster, staff...) is a static rule and wins over it.
OLD_ADDRESSES = {
    "/dashboard": "learning.my_dashboard",
    "/courses/<course_slug>/enrol": "learning.enrol_in",
    "/courses/<course_slug>/withdraw": "learning.withdraw_from",
    "/courses/<course_slug>/modules/<module_slug>": "learning.module",
    "/courses/<course_slug>/modules/<module_slug>/complete": "learning.complete",
    "/courses/<course_slug>/<module_slug>": "learning.module",
    "/courses/<course_slug>/<module_slug>/complete": "learning.complete",
    "/courses/<course_slug>/roster": "learning.course_roster",
    "/courses/<course_slug>/roster.csv": "learning.course_roster_csv",
    "/courses/<course_slug>/requests/<int:enrolment_id>": "learning.decide",
    "/courses/<course_slug>/staff": "learning.course_staff",
    "/courses/<course_slug>/staff/<int:user_id>/<role>/remove": "learning.remove_course_staff",
}


def init_app(app: Flask) -> None:
    """Its pages and their old addresses, its staff pages on "Manage course", retraining
    when an import raises a version, its policies, the tables records verify reads, and the
    demo staff's courses, and the daily scan that tells learners of retraining due. "read",
    its own requirement, needs no check."""
    app.register_blueprint(bp)
    redirect_moved(app, OLD_ADDRESSES)
    panels.STAFF_LINKS.add(app, panels.learning_staff_links)
    panels.TODO_ITEMS.add(app, panels.learning_todo)
    # The centres where the viewer holds a role, on the dashboard: centres import no feature.
    panels.DASHBOARD_PANELS.add(app, panels.centres_panel)
    VERSION_RAISED_HOOKS.add(app, services.flag_retraining)
    DEMO_ACCOUNT_HOOKS.add(app, demo.assign_demo_staff)
    POLICIES.register(app, "course.manage", services.may_manage)
    POLICIES.register(app, "course.preview", services.may_preview)
    POLICIES.register(app, "course.assign_staff", services.may_assign)
    # Learning knows who teaches whom, so it decides who sees a learner's record.
    POLICIES.register(app, "records.view_learner", services.may_view_record)
    ROW_READERS.register(app, "enrolments", queries.enrolment_rows)
    ROW_READERS.register(app, "module_progress", queries.progress_rows)
    notices.init_notices(app)
    JOBS.register(app, notices.notify_retraining.name, notices.notify_retraining)
