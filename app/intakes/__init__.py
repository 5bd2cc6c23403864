"""Programmes and intakes: ordered sets of courses with their requirements, and the runs of
them that a centre holds for a group of trainees."""

from flask import Blueprint, Flask

bp = Blueprint("intakes", __name__, url_prefix="/intakes")

from app.intakes import models  # noqa: E402, F401


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
