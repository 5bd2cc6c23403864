"""Accounts: registration, login and logout, profile, password."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth", cli_group="users")

from app.auth import cli, routes  # noqa: E402, F401  (routes and commands attach to bp)
