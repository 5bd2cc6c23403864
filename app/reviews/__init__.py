"""Reviewing a call's applications: the call's reviewers, who reviews what (by hand, or spread
evenly), conflicts of interest, and the reviewers' append-only scores against the rubric."""

from flask import Blueprint, Flask

bp = Blueprint("reviews", __name__, url_prefix="/reviews")

from app.reviews import routes  # noqa: E402, F401


def init_app(app: Flask) -> None:
    """Its pages, its link on a call's overview, and a reviewer's to-do on the dashboard."""
    from app.calls.hooks import CALL_LINKS
    from app.learning.panels import DASHBOARD_PANELS
    from app.reviews import panels

    app.register_blueprint(bp)
    CALL_LINKS.add(app, panels.call_links)
    DASHBOARD_PANELS.add(app, panels.reviews_panel)
