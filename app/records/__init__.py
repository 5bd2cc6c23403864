"""Trusted training records: the audit chain, electronic signatures, training records."""

from flask import Blueprint, Flask

bp = Blueprint("records", __name__, url_prefix="/records")

from app.core.auth import POLICIES  # noqa: E402
from app.records import cli, routes, setup  # noqa: E402, F401


def init_app(app: Flask) -> None:
    """Its pages and commands, its keys, anchor and commit hooks, and who may sign a
    review (who may see a record is learning's rule: it knows who teaches whom)."""
    app.register_blueprint(bp)
    setup.init_chain(app)
    POLICIES.register(app, "records.review_learner", routes.may_review_record)
