"""Quizzes: question types by registry, attempts with append-only answers."""

from flask import Blueprint

bp = Blueprint("quizzes", __name__, url_prefix="/quizzes")

from app.quizzes import cli, routes  # noqa: E402, F401
