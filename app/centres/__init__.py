"""Centres: the hub and the regional training centres of the network, the roles people hold
at each, their theme, and which staff may see what (`scope`)."""

from flask import Blueprint, Flask

bp = Blueprint("centres", __name__, url_prefix="/centres")

from app.centres import models  # noqa: E402, F401


def init_app(app: Flask) -> None:
    from app.auth.services import ROLES_CHANGED
    from app.centres import catalogue, forms, queries, routes, services, staff, theme  # noqa: F401
    from app.core.auth import POLICIES
    from app.records.directory import ENTRY_CENTRES

    POLICIES.register(app, "centre.manage", services.may_manage_centres)
    POLICIES.register(app, "centre.assign_roles", staff.may_assign_roles)
    POLICIES.register(app, "centre.manage_catalogue", catalogue.may_manage_catalogue)
    ROLES_CHANGED.add(app, staff.roles_changed)
    ENTRY_CENTRES.provide(app, queries.enrolment_centres)
    app.add_template_filter(forms.role_label, "centre_role")
    app.register_blueprint(bp)
