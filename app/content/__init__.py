"""Course content: Markdown files -> typed specs -> validation -> database; media serving."""

from flask import Blueprint

bp = Blueprint("content", __name__, cli_group="courses")

from app.content import cli, routes  # noqa: E402, F401
