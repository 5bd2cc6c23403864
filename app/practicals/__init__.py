"""Hands-on practicals: an assessor observes a learner against a checklist and signs."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("practicals", __name__, url_prefix="/practicals")

from app.core.auth import POLICIES  # noqa: E402
from app.learning.panels import STAFF_LINKS, TODO_ITEMS  # noqa: E402
from app.learning.services import REQUIREMENT_CHECKS  # noqa: E402
from app.practicals import notices, panels, queries, routes, services  # noqa: E402, F401
from app.practicals.rules import MEANING_COMPETENT, MEANING_NOT_YET  # noqa: E402
from app.records.checks import ROW_READERS  # noqa: E402
from app.records.meanings import register_meaning  # noqa: E402


def init_app(app: Flask) -> None:
    """Its pages, the "sign_off" requirement, its page on "Manage course", its policies,
    the table records verify reads, and the meanings a sign-off is signed with."""
    notices.init_notices(app)
    app.register_blueprint(bp)
    REQUIREMENT_CHECKS.register(app, "sign_off", services.signed_off)
    STAFF_LINKS.add(app, panels.practicals_staff_links)
    TODO_ITEMS.add(app, panels.practicals_todo)
    POLICIES.register(app, "practical.assess", services.may_assess)
    POLICIES.register(app, "practical.view", services.may_view)
    ROW_READERS.register(app, "practical_assessments", queries.practical_rows)
    register_meaning(app, MEANING_COMPETENT, _l("Assessed: competent"))
    register_meaning(app, MEANING_NOT_YET, _l("Assessed: not yet competent"))
