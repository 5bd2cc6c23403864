"""The signed-in person's notifications and preferences, and the one-click unsubscribe."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.core.boundary import ran_service
from app.core.forms import EmptyForm
from app.core.headers import NO_STORE
from app.core.time import now
from app.core.urls import page_number, site_url
from app.extensions import db, limiter
from app.notifications import bp, queries, services
from app.notifications.forms import preferences_form
from app.notifications.kinds import KINDS, mode_field, parse_mode
from app.notifications.models import Notification


@bp.route("/")
@login_required
def index() -> str:
    per_page = queries.PER_PAGE
    page = queries.notifications_page(current_user, page_number(per_page))
    return render_template("notifications/index.html", page=page, form=EmptyForm())


@bp.route("/read", methods=["POST"])
@login_required
def mark_all_read() -> Response:
    if EmptyForm().validate_on_submit():
        services.mark_all_read(current_user, now())
        flash(_("All notifications are marked read."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/<int:notification_id>/open", methods=["POST"])
@login_required
def open_notification(notification_id: int) -> Response:
    """Mark one entry read and go where it leads; someone else's entry is not found."""
    entry = db.session.get(Notification, notification_id)
    if entry is None or entry.user_id != current_user.id:
        abort(404)
    if EmptyForm().validate_on_submit():
        services.mark_read(current_user, entry, now())
    return redirect(site_url(entry.url) if entry.url else url_for("notifications.index"))


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences() -> str | Response:
    kinds, modes = services.preference_kinds(current_user), services.current_modes(current_user)
    form = preferences_form(kinds, modes)
    if form.validate_on_submit():
        choices = {kind.key: parse_mode(request.form.get(mode_field(kind.key)))
                   for kind in kinds if not kind.security}
        if ran_service(form, lambda: services.set_preferences(current_user, choices, now())):
            flash(_("Your notification preferences are saved."), "success")
            return redirect(url_for("notifications.preferences"))
    return render_template("notifications/preferences.html", form=form, kinds=kinds,
                           modes=modes, mode_field=mode_field)


# The one endpoint without CSRF protection (exempted in `init_app`): a mail client's
# one-click unsubscribe (RFC 8058) POSTs `List-Unsubscribe=One-Click` with no session and no
# form token. The signed token in the address is the authority: it names one person and one
# kind, and turning a kind of mail off is all it can do.
@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def unsubscribe(token: str) -> tuple[str, int] | str:
    signed = services.read_unsubscribe_token(token)
    user = services.find_recipient(signed)
    if user is None or signed is None:
        return render_template("notifications/unsubscribe.html", refused=True), 404
    kind = KINDS.find(signed[1])
    if request.method == "POST":
        turned_off = services.unsubscribe(user, signed[1], now())
        return render_template("notifications/unsubscribe.html", done=True, kind=kind,
                               turned_off=turned_off)
    return render_template("notifications/unsubscribe.html", token=token, kind=kind)


@bp.after_request
def _never_stored(response: Response) -> Response:
    # The unsubscribe page's address holds a token: no cache keeps it, signed in or not.
    response.headers["Cache-Control"] = NO_STORE
    return response
