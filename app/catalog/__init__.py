"""The course catalog and each course's page."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("catalog", __name__, url_prefix="/catalog")

from app.catalog import routes  # noqa: E402, F401
from app.core.moved import redirect_moved  # noqa: E402

# Before each package had its own prefix, the catalog was under /courses/.
OLD_ADDRESSES = {
    "/courses/": "catalog.index",
    "/courses/<course_slug>/": "catalog.course",
}


# How a module is taught, on its badge and in the catalog's filter.
MODALITY_LABELS = {
    # Translators: how a module is taught (virtual, classroom, hands-on), on a badge.
    "virtual": _l("virtual"),
    "classroom": _l("classroom"),
    "hands-on": _l("hands-on"),
}


def modality_label(modality: str) -> str:
    """A module's modality ("hands-on") as a page shows it, in the page's language."""
    return str(MODALITY_LABELS.get(modality, modality))


def init_app(app: Flask) -> None:
    """Its pages and their old addresses: the catalog only reads."""
    app.register_blueprint(bp)
    app.add_template_global(modality_label)
    redirect_moved(app, OLD_ADDRESSES)
