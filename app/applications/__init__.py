"""Applying to a call: the applicant's form with autosave, its checked PDF documents, the
checklist and eligibility as they go, handing in and withdrawing, the status page, the
officers' list of a call's applications, and the retention of personal data."""

from flask import Blueprint, Flask

bp = Blueprint("applications", __name__, url_prefix="/applications")

from app.applications import retention, routes  # noqa: E402, F401


def init_app(app: Flask) -> None:
    """Its pages and command, the call pages' links, and the daily deletion of personal
    data past its retention."""
    from app.applications import links
    from app.calls.hooks import CALL_LINKS, PUBLIC_CALL_LINKS
    from app.jobs import JOBS

    app.register_blueprint(bp)
    app.cli.add_command(retention.applications_cli)
    PUBLIC_CALL_LINKS.add(app, links.public_call_links)
    CALL_LINKS.add(app, links.officer_call_links)
    JOBS.register(app, retention.delete_personal_daily.name, retention.delete_personal_daily)
