"""Course content: Markdown files -> typed specs -> validation -> database; media serving."""

from flask import Blueprint, Flask

bp = Blueprint("content", __name__, cli_group="courses")

from app.content import cli, queries, routes  # noqa: E402, F401
from app.records.directory import COURSE_NAMES  # noqa: E402


def init_app(app: Flask) -> None:
    """Media and `flask courses`, and the course names records shows."""
    app.register_blueprint(bp)
    COURSE_NAMES.provide(app, queries.course_names)
