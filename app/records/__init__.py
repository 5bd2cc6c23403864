"""Trusted training records: the audit chain, electronic signatures, training records."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("records", __name__, url_prefix="/records")

from app.core.auth import POLICIES  # noqa: E402
from app.records import cli, routes, setup  # noqa: E402, F401
from app.records.meanings import meaning_shown, register_meaning  # noqa: E402


def init_app(app: Flask) -> None:
    """Its pages and commands, its keys, anchor and commit hooks, who may sign a review
    (who may see a record is learning's rule: it knows who teaches whom), the meaning a
    review is signed with, and `meaning_shown` for every page that shows a signature."""
    app.register_blueprint(bp)
    setup.init_chain(app)
    POLICIES.register(app, "records.review_learner", routes.may_review_record)
    register_meaning(app, routes.REVIEW_MEANING,
                     _l("Reviewed: training record complete and accurate"))
    app.add_template_global(meaning_shown)
