"""Centres: the hub and the regional training centres of the network, the roles people hold
at each, and which courses each offers."""

from flask import Blueprint, Flask

bp = Blueprint("centres", __name__, url_prefix="/centres")

from app.centres import models  # noqa: E402, F401


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
