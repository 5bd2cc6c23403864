"""Selecting: a call's selection board (ranked by mean score, with spread, disagreement and
eligibility), the proposal that keeps to the quotas, the committee's overrides and the
signed decision."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("selection", __name__, url_prefix="/selection")

from app.selection import routes  # noqa: E402, F401


def init_app(app: Flask) -> None:
    """Its pages, the board's link on a call's overview page, and the meaning a decision is
    signed with."""
    from app.calls.hooks import CALL_LINKS
    from app.records.meanings import register_meaning
    from app.selection.links import board_links
    from app.selection.services import MEANING_APPROVED

    app.register_blueprint(bp)
    CALL_LINKS.add(app, board_links)
    register_meaning(app, MEANING_APPROVED, _l("Selection approved"))
