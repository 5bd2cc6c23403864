"""The course catalog and each course's page."""

from flask import Blueprint, Flask

bp = Blueprint("catalog", __name__, url_prefix="/catalog")

from app.catalog import routes  # noqa: E402, F401
from app.core.moved import redirect_moved  # noqa: E402

# Before each package had its own prefix, the catalog was under /courses/.
OLD_ADDRESSES = {
    "/courses/": "catalog.index",
    "/courses/<course_slug>/": "catalog.course",
}


def init_app(app: Flask) -> None:
    """Its pages and their old addresses: the catalog only reads."""
    app.register_blueprint(bp)
    redirect_moved(app, OLD_ADDRESSES)
