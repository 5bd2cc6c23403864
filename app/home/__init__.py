"""The front page and the health check."""

from flask import Blueprint, Flask

bp = Blueprint("home", __name__)

from app.home import routes  # noqa: E402, F401


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
