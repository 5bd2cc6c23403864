"""Calls for applications: a centre's public call with its eligibility, form, rubric and
quotas; the call's pages for applicants and its authoring by programme officers."""

from flask import Blueprint, Flask

bp = Blueprint("calls", __name__, url_prefix="/calls")

from app.calls import models, routes  # noqa: E402, F401


def init_app(app: Flask) -> None:
    from app.calls import access
    from app.core.auth import POLICIES

    POLICIES.register(app, "call.run", access.may_run_call)
    POLICIES.register(app, "calls.write", access.may_run_calls_of)
    POLICIES.register(app, "application.see", access.may_see_application)
    POLICIES.register(app, "application.personal", access.may_see_personal)
    app.register_blueprint(bp)
