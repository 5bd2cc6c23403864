"""Grading: the assessor's queue and grading essays against their rubric."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("grading", __name__, url_prefix="/grading")

from app.core.auth import POLICIES  # noqa: E402
from app.core.moved import redirect_moved  # noqa: E402
from app.grading import notices, panels, queries, routes, services  # noqa: E402, F401
from app.jobs import JOBS  # noqa: E402
from app.learning.panels import STAFF_LINKS, TODO_ITEMS  # noqa: E402
from app.quizzes.queries import ATTEMPT_GRADES  # noqa: E402
from app.records.checks import ROW_READERS  # noqa: E402
from app.records.meanings import register_meaning  # noqa: E402

# The gradebook and the item analysis were under the catalog's /courses/<course>/.
OLD_ADDRESSES = {
    "/courses/<course_slug>/gradebook": "grading.course_gradebook",
    "/courses/<course_slug>/gradebook.csv": "grading.course_gradebook_csv",
    "/courses/<course_slug>/quizzes/<quiz_slug>/analysis": "grading.quiz_analysis",
    "/courses/<course_slug>/quizzes/<quiz_slug>/regrade": "grading.regrade",
}


def init_app(app: Flask) -> None:
    """Its pages and their old addresses, its staff pages on "Manage course", the grades an
    attempt's review shows, its policy, the table records verify reads, and the meaning
    a release is signed with, and the daily reminder of essays waiting."""
    notices.init_notices(app)
    JOBS.register(app, notices.remind_essays.name, notices.remind_essays)
    app.register_blueprint(bp)
    redirect_moved(app, OLD_ADDRESSES)
    STAFF_LINKS.add(app, panels.grading_staff_links)
    TODO_ITEMS.add(app, panels.grading_todo)
    ATTEMPT_GRADES.add(app, services.latest_grades)
    POLICIES.register(app, "attempt.grade", services.may_grade)
    ROW_READERS.register(app, "question_grades", queries.grade_rows)
    register_meaning(app, services.RELEASE_MEANING,
                     _l("Grades released: reviewed and approved for the learners"))
