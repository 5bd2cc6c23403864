"""Account pages. Thin: validate the form, call one service, commit, redirect."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app.auth import bp
from app.auth.forms import ChangePasswordForm, LoginForm, ProfileForm, RegisterForm
from app.auth.services import (
    Profile,
    change_password,
    check_credentials,
    checked_account,
    end_login_session,
    register_learner,
    start_login_session,
    update_profile,
)
from app.core.db import begin_write, read_before_write
from app.core.errors import ValidationError
from app.core.forms import EmptyForm, attach_domain_error
from app.core.time import now
from app.core.urls import safe_local_target
from app.extensions import db, limiter


def _safe_next(target: str | None) -> str:
    return safe_local_target(target, url_for("home.index"))


def _login_account_key() -> str:
    return "account:" + request.form.get("email", "").strip().lower()


def _login_address_key() -> str:
    return "address:" + (get_remote_address() or "unknown")


def _login_failed(_response: Response) -> bool:
    # Only failed attempts count: a training centre logging 150 trainees in at once is fine.
    return bool(g.get("login_failed"))


_TOO_MANY_LOGINS = (
    "Too many failed log-in attempts. For your security, logging in is paused for a few "
    "minutes. Please wait, then try again; an administrator can also help."
)


@bp.route("/register", methods=["GET", "POST"])
def register() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        profile = Profile(name=form.name.data or "", country=form.country.data or None,
                          organisation=form.organisation.data or "")
        try:
            user = register_learner(email=form.email.data or "", password=form.password.data or "",
                                    profile=profile, now=now())
        except ValidationError as error:
            db.session.rollback()
            attach_domain_error(form, error)
        else:
            session.clear()
            start_login_session(user, now())
            login_user(user)
            db.session.commit()
            flash(f"Welcome to TrainHub, {user.name}. Your account is ready.", "success")
            return redirect(url_for("home.index"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=_login_account_key,
               methods=["POST"], deduct_when=_login_failed, error_message=_TOO_MANY_LOGINS)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], key_func=_login_address_key,
               methods=["POST"], deduct_when=_login_failed, error_message=_TOO_MANY_LOGINS)
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        read_before_write()  # the password check reads, and takes tens of milliseconds
        password = form.password.data or ""
        credentials = check_credentials(form.email.data or "", password)
        if credentials is None:
            g.login_failed = True
            form.form_errors.append("The e-mail address or password is not right.")
        else:
            begin_write()
            user = checked_account(credentials, password)
            # A fresh session at login: nothing a visitor planted before survives it.
            session.clear()
            start_login_session(user, now())
            login_user(user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout() -> str | Response:
    form = EmptyForm()
    if form.validate_on_submit():
        if current_user.session_token:
            end_login_session(current_user, current_user.session_token, now())
        logout_user()
        session.clear()
        db.session.commit()
        flash("You are logged out.", "success")
        return redirect(url_for("home.index"))
    return render_template("auth/logout.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile() -> str | Response:
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        try:
            update_profile(current_user, Profile(
                name=form.name.data or "", country=form.country.data or None,
                organisation=form.organisation.data or "", timezone=form.timezone.data or "UTC",
            ), now())
        except ValidationError as error:
            db.session.rollback()
            attach_domain_error(form, error)
        else:
            db.session.commit()
            flash("Your profile is saved.", "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, current=form.current_password.data or "",
                            new=form.new_password.data or "", now=now())
        except ValidationError as error:
            db.session.rollback()
            attach_domain_error(form, error)
        else:
            db.session.commit()
            flash("Your password is changed. Other devices have been logged out.", "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/password.html", form=form)
