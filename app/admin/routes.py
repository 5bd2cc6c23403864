"""Account administration pages."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.admin import bp
from app.admin.forms import AccountStatusForm, RolesForm
from app.admin.queries import users_page
from app.auth.countries import country_name
from app.auth.models import User
from app.auth.services import get_user, set_active, set_roles
from app.core.auth import role_required
from app.core.errors import NotFound, ValidationError
from app.core.forms import attach_domain_error
from app.core.roles import Role
from app.core.time import now
from app.core.urls import page_number
from app.extensions import db


@bp.route("/users")
@role_required(Role.ADMIN)
def users() -> str:
    search = request.args.get("q", "").strip()
    role_value = request.args.get("role", "")
    role = Role(role_value) if role_value in {r.value for r in Role} else None
    per_page = current_app.config["USERS_PER_PAGE"]
    page = users_page(search, role, page_number(per_page), per_page)
    return render_template("admin/users.html", page=page, search=search, role=role,
                           roles=list(Role), country_name=country_name)


def _account_or_404(user_id: int) -> User:
    try:
        return get_user(user_id)
    except NotFound:
        abort(404)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user(user_id: int) -> str | Response:
    account = _account_or_404(user_id)
    form = RolesForm(data={"roles": sorted(account.roles)} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            changed = set_roles(current_user, account, [Role(v) for v in form.roles.data or []],
                                now(), reason=form.reason.data or "")
        except ValidationError as error:
            db.session.rollback()
            attach_domain_error(form, error)
        else:
            db.session.commit()
            if changed:
                flash(f"Roles of {account.name} saved: {', '.join(sorted(account.roles))}.",
                      "success")
            else:
                flash(f"Roles of {account.name} were already as chosen.", "info")
            return redirect(url_for("admin.user", user_id=account.id))
    return render_template("admin/user.html", account=account, form=form, roles=list(Role),
                           country_name=country_name, status_form=AccountStatusForm(prefix="s"))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@role_required(Role.ADMIN)
def account_status(user_id: int) -> str | Response:
    """Deactivate or reactivate an account; accounts are never deleted."""
    account = _account_or_404(user_id)
    status_form = AccountStatusForm(prefix="s")
    if status_form.validate_on_submit():
        try:
            set_active(current_user, account, not account.active, now(),
                       reason=status_form.reason.data or "")
        except ValidationError as error:
            db.session.rollback()
            attach_domain_error(status_form, error)
        else:
            db.session.commit()
            flash(f"{account.name} is {'active' if account.active else 'deactivated'}.",
                  "success")
            return redirect(url_for("admin.user", user_id=account.id))
    form = RolesForm(data={"roles": sorted(account.roles)})
    return render_template("admin/user.html", account=account, form=form, roles=list(Role),
                           country_name=country_name, status_form=status_form)
