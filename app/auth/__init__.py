"""Accounts: registration, login and logout, profile, password."""

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

bp = Blueprint("auth", __name__, url_prefix="/auth", cli_group="users")


@bp.record_once
def _read_login_limits(state: BlueprintSetupState) -> None:
    """Parse the log-in limits once per app, so that a misspelt limit stops the start (a
    ConfigError) rather than every log-in."""
    from app.auth.lockout import LoginLimits

    state.app.extensions["login_limits"] = LoginLimits.from_config(state.app.config)


from app.auth import cli, routes  # noqa: E402, F401  (routes and commands attach to bp)
