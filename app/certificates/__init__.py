"""Certificates of completion: issue, download, public verification, revocation."""

from flask import Blueprint, Flask

bp = Blueprint("certificates", __name__, url_prefix="/certificates")

from app.certificates import notices, panels, queries, routes, services  # noqa: E402, F401
from app.core.auth import POLICIES  # noqa: E402
from app.core.moved import redirect_moved  # noqa: E402
from app.learning.panels import DASHBOARD_PANELS, STAFF_LINKS  # noqa: E402
from app.learning.services import COURSE_COMPLETED_HOOKS  # noqa: E402
from app.records.checks import ROW_READERS  # noqa: E402

# Certificates printed before the move carry /verify/<code> in their text and QR code: that
# address must answer for as long as a certificate is kept.
OLD_ADDRESSES = {
    "/verify/": "certificates.lookup",
    "/verify/<code>": "certificates.verify",
}


def init_app(app: Flask) -> None:
    """Its pages and their old addresses, a certificate on each completed course, the
    dashboard panel, its page on "Manage course", its policies, and the table records
    verify reads."""
    notices.init_notices(app)
    app.register_blueprint(bp)
    redirect_moved(app, OLD_ADDRESSES)
    COURSE_COMPLETED_HOOKS.add(app, services.on_course_completed)
    DASHBOARD_PANELS.add(app, panels.certificates_panel)
    STAFF_LINKS.add(app, panels.certificates_staff_links)
    POLICIES.register(app, "certificate.download", services.may_download)
    POLICIES.register(app, "certificate.revoke", services.may_revoke)
    ROW_READERS.register(app, "certificates", queries.certificate_rows)
