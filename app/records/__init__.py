"""Trusted training records: the audit chain, electronic signatures, training records."""

from flask import Blueprint

bp = Blueprint("records", __name__, url_prefix="/records")

from app.records import cli, routes  # noqa: E402, F401
from app.records.setup import init_app  # noqa: E402, F401  (keys, anchor, commit hooks)
