"""Account pages reached through e-mail: asking for a reset link, setting a new password
through it, confirming an address, and the "check your e-mail" answer they share. Thin, as
routes.py: validate the form, call one service, redirect (the request's boundary commits).

The pages a link opens carry its token in their address: they are never stored (no-store),
and the link to another site would not send it (Referrer-Policy: same-origin).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter import RouteLimit
from werkzeug.wrappers import Response

from app.auth import bp
from app.auth.forms import AddressForm, ConfirmEmailForm, ResetPasswordForm
from app.auth.lockout import configured_limits, email_key
from app.auth.recovery import (
    PasswordResetDone,
    check_reset_link,
    complete_password_reset,
    request_password_reset,
)
from app.auth.token_rules import LinkState
from app.auth.verification import check_confirmation_link, confirm_email, resend_confirmation
from app.core.boundary import ran_service, run_service
from app.core.headers import NO_STORE
from app.core.i18n import current_language
from app.core.time import now
from app.extensions import limiter

# What "check your e-mail" says, by what was asked: kept in the session across the redirect.
_SENT = "auth.mail_sent"
# Asking for a link is limited per address asked about and per client, the same for an
# address with an account or without: the limits say nothing about which it is.
MAIL_SCOPE = "account-mail"


def _account_key() -> str:
    return "address:" + email_key(request.form.get("email", ""))


def per_account(deduct_when: Callable[[Response], bool] | None = None) -> RouteLimit:
    """The limit per e-mail address asked about (counting only the answers `deduct_when`
    picks, when given: registration counts the "check your e-mail" answers alone)."""
    return limiter.shared_limit(
        lambda: current_app.config["PASSWORD_RESET_LIMIT_PER_ACCOUNT"], scope=MAIL_SCOPE,
        key_func=_account_key, methods=["POST"], deduct_when=deduct_when)


def per_client() -> RouteLimit:
    return limiter.shared_limit(
        lambda: current_app.config["PASSWORD_RESET_LIMIT_PER_ADDRESS"],
        scope=MAIL_SCOPE + "-client", methods=["POST"])


def sent_answer(what: str, address: str) -> Response:
    """Redirect to "check your e-mail", which says what was sent where."""
    session[_SENT] = {"what": what, "address": address[:254]}
    return redirect(url_for("auth.check_email"))


def _private(page: str, status: int = 200) -> Response:
    response = make_response(page, status)
    response.headers["Cache-Control"] = NO_STORE
    return response


@bp.route("/forgot", methods=["GET", "POST"])
@per_account()
@per_client()
def forgot_password() -> str | Response:
    """"Forgot your password?": the same answer whether or not the address has an account."""
    form = AddressForm(email=request.args.get("email", "")[:254] or None)
    if form.validate_on_submit() and ran_service(form, lambda: request_password_reset(
            form.email.data or "", now=now(), language=current_language())):
        return sent_answer("reset", form.email.data or "")
    return render_template("auth/forgot.html", form=form)


@bp.route("/check-email")
def check_email() -> str:
    sent = session.get(_SENT) or {"what": "reset", "address": ""}
    return render_template("auth/check_email.html", what=sent["what"],
                           address=sent["address"])


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response:
    """The page a reset link opens: the new password, twice."""
    form = ResetPasswordForm()
    if not form.is_submitted():
        state = check_reset_link(token, now()).state
        return _private(render_template("auth/reset.html", form=form) if state.opens
                        else _closed_link("reset", state))
    done = run_service(form, lambda: complete_password_reset(
        token, new=form.new_password.data or "", limits=configured_limits(),
        now=now())) if form.validate() else None
    if isinstance(done, LinkState):
        return _private(_closed_link("reset", done))
    if isinstance(done, PasswordResetDone):
        session.clear()  # whoever was logged in here, their session has just ended
        flash(_("Your new password is set, and every device that was logged in to your "
                "account is logged out. Log in with your new password."), "success")
        return redirect(url_for("auth.login", email=done.user.email))
    return _private(render_template("auth/reset.html", form=form))


def _closed_link(purpose: str, state: LinkState) -> str:
    return render_template("auth/link_closed.html", purpose=purpose, state=state.value)


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str) -> Response:
    """The page a confirmation link opens: one button (a link scanner's GET confirms
    nothing), then the log-in page."""
    form = ConfirmEmailForm()
    if form.validate_on_submit():
        state = confirm_email(token, now())
        if state.opens:
            flash(_("Your e-mail address is confirmed. You can log in now."), "success")
            return redirect(url_for("auth.login"))
        return _private(_closed_link("verify", state))
    state = check_confirmation_link(token, now()).state
    return _private(render_template("auth/confirm.html", form=form) if state.opens
                    else _closed_link("verify", state))


@bp.route("/confirm-again", methods=["GET", "POST"])
@per_account()
@per_client()
def confirm_again() -> str | Response:
    """A new confirmation link: the same answer for any address."""
    form = AddressForm(email=request.args.get("email", "")[:254] or None)
    if form.validate_on_submit() and ran_service(form, lambda: resend_confirmation(
            form.email.data or "", now=now(), language=current_language())):
        return sent_answer("confirm", form.email.data or "")
    return render_template("auth/confirm_again.html", form=form)
