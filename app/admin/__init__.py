"""Administration: accounts and their roles."""

from flask import Blueprint, Flask

bp = Blueprint("admin", __name__, url_prefix="/admin")

from app.admin import routes  # noqa: E402, F401


def init_app(app: Flask) -> None:
    """Its pages; who may change roles and unlock accounts is the accounts feature's rule."""
    app.register_blueprint(bp)
