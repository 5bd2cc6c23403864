"""Account administration pages."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.admin import bp
from app.admin.forms import AccountStatusForm, RolesForm, SendResetLinkForm, UnlockForm
from app.admin.queries import users_page
from app.auth.lockout import configured_limits, login_locked_until, unlock_account
from app.auth.models import User
from app.auth.recovery import send_reset_link
from app.auth.services import get_user, set_active, set_roles
from app.centres.scope import staff_centre_ids
from app.core.auth import role_required
from app.core.boundary import ran_service, run_service
from app.core.countries import country_name
from app.core.roles import Role
from app.core.time import now
from app.core.urls import page_number


@bp.route("/users")
@login_required
def users() -> str:
    # The network administrator sees every account; a centre administrator their centres'
    # people, read only: each name opens the training record.
    centres = staff_centre_ids(current_user, "centre_admin")
    if centres is not None and not centres:
        abort(403)
    search = request.args.get("q", "").strip()
    role_value = request.args.get("role", "")
    role = Role(role_value) if role_value in {r.value for r in Role} else None
    per_page = current_app.config["USERS_PER_PAGE"]
    page = users_page(search, role, page_number(per_page), per_page, centres)
    return render_template("admin/users.html", page=page, search=search, role=role,
                           roles=list(Role), country_name=country_name,
                           network_admin=centres is None)


def _user_page(account: User, *, form: RolesForm | None = None,
               status_form: AccountStatusForm | None = None,
               unlock_form: UnlockForm | None = None,
               reset_form: SendResetLinkForm | None = None) -> str:
    """The account page, with whichever of its forms was posted keeping its errors."""
    return render_template(
        "admin/user.html", account=account, roles=list(Role), country_name=country_name,
        # Forms not posted show the account as it is, not the other form's request body.
        form=form or RolesForm(formdata=None, data={"roles": sorted(account.roles)}),
        status_form=status_form or AccountStatusForm(prefix="s"),
        unlock_form=unlock_form or UnlockForm(prefix="u"),
        reset_form=reset_form or SendResetLinkForm(prefix="r"),
        locked_until=login_locked_until(account.email, configured_limits(), now()))


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user(user_id: int) -> str | Response:
    account = get_user(user_id)  # NotFound: the error page answers 404
    form = RolesForm(data={"roles": sorted(account.roles)} if request.method == "GET" else None)
    if form.validate_on_submit():
        changed = run_service(form, lambda: set_roles(
            current_user, account, [Role(v) for v in form.roles.data or []], now(),
            reason=form.reason.data or ""))
        if changed is not None:
            if changed:
                flash(_("Roles of %(name)s saved: %(roles)s.", name=account.name,
                        roles=", ".join(role.label for role in sorted(account.roles))),
                      "success")
            else:
                flash(_("Roles of %(name)s were already as chosen.", name=account.name), "info")
            return redirect(url_for("admin.user", user_id=account.id))
    return _user_page(account, form=form)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@role_required(Role.ADMIN)
def account_status(user_id: int) -> str | Response:
    """Deactivate or reactivate an account; accounts are never deleted."""
    account = get_user(user_id)  # NotFound: the error page answers 404
    status_form = AccountStatusForm(prefix="s")
    if status_form.validate_on_submit() and ran_service(status_form, lambda: set_active(
            current_user, account, not account.active, now(),
            reason=status_form.reason.data or "")):
        flash(_("%(name)s is active.", name=account.name) if account.active
              else _("%(name)s is deactivated.", name=account.name), "success")
        return redirect(url_for("admin.user", user_id=account.id))
    return _user_page(account, status_form=status_form)


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@role_required(Role.ADMIN)
def unlock(user_id: int) -> str | Response:
    """Lift a lock-out by failed log-ins before it ends."""
    account = get_user(user_id)  # NotFound: the error page answers 404
    unlock_form = UnlockForm(prefix="u")
    if unlock_form.validate_on_submit():
        unlocked = run_service(unlock_form, lambda: unlock_account(
            current_user, account, configured_limits(), now(),
            reason=unlock_form.reason.data or ""))
        if unlocked is not None:
            if unlocked:
                flash(_("%(name)s can log in again.", name=account.name), "success")
            else:
                flash(_("%(name)s was not locked out.", name=account.name), "info")
            return redirect(url_for("admin.user", user_id=account.id))
    return _user_page(account, unlock_form=unlock_form)


@bp.route("/users/<int:user_id>/reset-link", methods=["POST"])
@role_required(Role.ADMIN)
def send_reset(user_id: int) -> str | Response:
    """Send the account's owner a link to choose a new password themselves."""
    account = get_user(user_id)  # NotFound: the error page answers 404
    reset_form = SendResetLinkForm(prefix="r")
    if reset_form.validate_on_submit():
        link = run_service(reset_form, lambda: send_reset_link(current_user, account,
                                                               now=now()))
        if link is not None:
            flash(_("A link to choose a new password is on its way to %(email)s; it works "
                    "for one hour.", email=account.email), "success")
            return redirect(url_for("admin.user", user_id=account.id))
    return _user_page(account, reset_form=reset_form)
