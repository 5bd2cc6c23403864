"""Accounts: registration, login and logout, profile, password."""

from flask import Blueprint, Flask
from flask.blueprints import BlueprintSetupState

bp = Blueprint("auth", __name__, url_prefix="/auth", cli_group="users")


@bp.record_once
def _read_login_limits(state: BlueprintSetupState) -> None:
    """Parse the log-in limits once per app, so that a misspelt limit stops the start (a
    ConfigError) rather than every log-in."""
    from app.auth.lockout import LoginLimits

    state.app.extensions["login_limits"] = LoginLimits.from_config(state.app.config)


# Routes and commands attach to bp.
from app.auth import cli, lockout, mail_pages, queries, reset, routes, services  # noqa: E402, F401
from app.core.auth import POLICIES  # noqa: E402
from app.records.checks import ROW_READERS  # noqa: E402
from app.records.directory import PEOPLE, People  # noqa: E402


def init_app(app: Flask) -> None:
    """Accounts' pages and commands, their policies, and what records reads of them."""
    app.register_blueprint(bp)
    POLICIES.register(app, "user.change_roles", services.may_change_roles)
    POLICIES.register(app, "user.unlock", lockout.may_unlock)
    POLICIES.register(app, "user.reset_password", reset.may_reset_password)
    PEOPLE.provide(app, People(find=queries.find_user,
                               ids_with_email_like=queries.ids_with_email_like))
    ROW_READERS.register(app, "users", queries.user_rows)
