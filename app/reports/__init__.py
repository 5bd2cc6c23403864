"""Reports: an intake's, a centre's over all its intakes and the network's across centres,
as pages with SVG charts and the same numbers as CSV, in full or for publication."""

from typing import Any

from flask import Blueprint, Flask

bp = Blueprint("reports", __name__, url_prefix="/reports")

from app.centres.scope import may_staff_centre  # noqa: E402
from app.core.auth import POLICIES  # noqa: E402
from app.core.roles import Role  # noqa: E402
from app.reports import routes  # noqa: E402, F401
from app.reports.views import REPORT_ROLES  # noqa: E402


def may_see_centre_reports(actor: Any, centre_id: int) -> bool:
    """A centre's intake and centre reports: its administrators and programme officers, and
    the network administrator."""
    return may_staff_centre(actor, centre_id, *REPORT_ROLES)


def may_see_network_report(actor: Any, _: object) -> bool:
    return bool(actor.has_role(Role.ADMIN))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    POLICIES.register(app, "reports.centre", may_see_centre_reports)
    POLICIES.register(app, "reports.network", may_see_network_report)
