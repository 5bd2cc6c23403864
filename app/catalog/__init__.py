"""The course catalog and each course's page."""

from flask import Blueprint, Flask

bp = Blueprint("catalog", __name__, url_prefix="/courses")

from app.catalog import routes  # noqa: E402, F401


def init_app(app: Flask) -> None:
    """Its pages: the catalog only reads, so it registers nothing else."""
    app.register_blueprint(bp)
