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


def call_links(call: Any, viewer: Any) -> list[Any]:
    """"Funnel report" on a call's overview page, for its officers."""
    from flask_babel import lazy_gettext as _l

    from app.calls.access import may_run_call
    from app.calls.hooks import CallLink

    if call.status == "draft" or not may_run_call(viewer, call):
        return []
    return [CallLink(_l("Funnel report"), "reports.call_funnel", {"call_id": call.id},
                     order=80)]


def init_app(app: Flask) -> None:
    from app.calls.hooks import CALL_LINKS

    app.register_blueprint(bp)
    CALL_LINKS.add(app, call_links)
    POLICIES.register(app, "reports.centre", may_see_centre_reports)
    POLICIES.register(app, "reports.network", may_see_network_report)
