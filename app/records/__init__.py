"""Trusted training records: the audit chain, electronic signatures, training records."""

from flask import Blueprint, Flask

bp = Blueprint("records", __name__, url_prefix="/records")

from app.records import cli, routes  # noqa: E402, F401


def init_app(app: Flask) -> None:
    """The chain's keys, its anchor, and the hook that writes the anchor at each commit."""
    from app.records.setup import init_app as set_up

    set_up(app)
