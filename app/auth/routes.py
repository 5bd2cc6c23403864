"""Account pages. Thin: validate the form, call one service, redirect (the request's
boundary commits)."""

from __future__ import annotations

import math

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app.auth import bp
from app.auth.forms import (
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    zone_choices_for,
)
from app.auth.lockout import (
    LoginRefused,
    configured_limits,
    finish_login_check,
    start_login_check,
    verify_login_password,
)
from app.auth.mail_pages import per_account, sent_answer
from app.auth.models import User
from app.auth.services import (
    Profile,
    account_problems,
    change_password,
    choose_language,
    end_login_session,
    start_login_session,
    update_profile,
)
from app.auth.verification import SignUp, needs_confirmation, sign_up
from app.core.boundary import ran_service, run_service
from app.core.countries import country_choices, country_name
from app.core.db import begin_write, read_before_write
from app.core.forms import EmptyForm, attach_domain_error
from app.core.i18n import SESSION_KEY, is_language
from app.core.time import now
from app.core.urls import safe_local_target
from app.core.zones import country_zones, proposed_zone


def _safe_next(target: str | None) -> str:
    return safe_local_target(target, url_for("home.index"))


@bp.route("/register", methods=["GET", "POST"])
@per_account(deduct_when=lambda response: _answers_check_email(response))
def register() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegisterForm()
    if not form.is_submitted():
        return _register_page(form)
    profile = _checked_profile(form)
    if profile is None:
        return _register_page(form)
    signed_up = run_service(form, lambda: sign_up(
        email=form.email.data or "", password=form.password.data or "", profile=profile,
        now=now(), language=session.get(SESSION_KEY),
        require_confirmation=current_app.config["REQUIRE_EMAIL_VERIFICATION"]))
    if signed_up is None:
        return _register_page(form)
    return _signed_up_answer(signed_up, form.email.data or "")


def _answers_check_email(response: Response) -> bool:
    """Registration counts against the address's limit when it mails the address ("check
    your e-mail"), never when it opens a new account at once: a classroom of trainees
    registering from one place is not an abuse."""
    return response.status_code == 302 and response.location == url_for("auth.check_email")


def _signed_up_answer(signed_up: SignUp, email: str) -> Response:
    """"Check your e-mail", for a taken address as for a new one (its owner is told by
    mail); without confirmation by mail, a new account is logged in at once."""
    if signed_up.user is None or signed_up.confirm_by_mail:
        return sent_answer("register", email)
    _start_session(signed_up.user)
    flash(_("Welcome to TrainHub, %(name)s. Your account is ready.", name=signed_up.user.name),
          "success")
    # Back where they came from: the call they were applying to, say.
    return redirect(_safe_next(request.args.get("next")))


def _checked_profile(form: RegisterForm) -> Profile | None:
    """The profile the form asks for, or None with every problem next to its field. The time
    zone is the country's when it has one and was not chosen; with several, the answer asks
    which, listing the country's own first."""
    country = form.country.data or None
    zone = form.timezone.data or proposed_zone(country)
    profile = Profile(name=form.name.data or "", country=country,
                      organisation=form.organisation.data or "", timezone=zone or "UTC")
    valid = form.validate()
    zone_unknown = zone is None and not form.country.errors
    if valid and not zone_unknown:
        return profile
    _add_account_problems(form, profile)
    if zone_unknown:
        form.timezone.errors.append(
            _("%(country)s has several time zones: choose yours.", country=country_name(country))
            if country_zones(country) else _("Choose your time zone."))
    form.offer_zones_of(country)
    return None


def _register_page(form: RegisterForm) -> str:
    """The form, and for its script each country's zones (the page works without it)."""
    zones = {code: [[zone.name, zone.label] for zone in country_zones(code)]
             for code, _ in country_choices()}
    return render_template("auth/register.html", form=form, country_zones=zones,
                           zone_words=_zone_words())


def _zone_words() -> dict[str, str]:
    """zones.js's words, in the page's language: `%(country)s` is the country's name."""
    return {"own": _("The time zone of my country"),
            "group": _("Time zones of %(country)s", country="%(country)s"),
            "choose": _("Choose your time zone in %(country)s…", country="%(country)s")}


def _add_account_problems(form: RegisterForm, profile: Profile) -> None:
    """The form's own checks stop at empty fields; the account's rules (a weak password, a
    taken address) are told in the same answer, not one per submit."""
    if "csrf_token" in form.errors:
        return
    for problem in account_problems(email=form.email.data or "",
                                    password=form.password.data or "",
                                    profile=profile, require_country=True, report_taken=False):
        field = getattr(form, problem.field or "", None)
        if field is not None and not field.errors:
            attach_domain_error(form, problem)


def _start_session(user: User) -> None:
    """A fresh session at log-in: nothing a visitor planted before survives it."""
    session.clear()
    start_login_session(user, now(), user_agent=request.user_agent.string)
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int, dict[str, str]]:
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm(email=request.args.get("email", "")[:254] or None)
    if form.validate_on_submit() and (answer := _log_in(form)) is not None:
        return answer
    return render_template("auth/login.html", form=form)


def _log_in(form: LoginForm) -> Response | tuple[str, int, dict[str, str]] | None:
    """The log-in's two steps (see app.auth.lockout): the answer to send, or None when the
    password was not right (the form then says so)."""
    limits, password, started = configured_limits(), form.password.data or "", now()
    check = start_login_check(form.email.data or "", get_remote_address(), limits, started)
    # Committed here, mid-request, before the password is looked at: every worker sees this
    # guess counted before its answer exists, and the slow check below holds no lock. The
    # request's boundary commits the second step.
    read_before_write()
    if isinstance(check, LoginRefused):
        form.form_errors.append(check.message(started))
        retry_after = max(1, math.ceil((check.until - started).total_seconds()))
        return (render_template("auth/login.html", form=form), 429,
                {"Retry-After": str(retry_after)})
    verdict = verify_login_password(check, password)
    begin_write()
    user = finish_login_check(check, verdict, password, limits, now())
    if user is None:
        # The failure stays counted, with any lock-out it caused: the page is not an error
        # status, so the boundary commits it.
        form.form_errors.append(_("The e-mail address or password is not right."))
        return None
    if needs_confirmation(user, required=current_app.config["REQUIRE_EMAIL_VERIFICATION"]):
        # Told only to someone who knows the password: it says nothing to anyone else.
        return (render_template("auth/login.html", form=form, unconfirmed=user.email), 200, {})
    _start_session(user)
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout() -> str | Response:
    form = EmptyForm()
    if form.validate_on_submit():
        if current_user.session_token:
            end_login_session(current_user, current_user.session_token, now())
        language = session.get(SESSION_KEY) or current_user.language
        logout_user()
        session.clear()
        if language:  # the page after logging out stays in their language
            session[SESSION_KEY] = language
        flash(_("You are logged out."), "success")
        return redirect(url_for("home.index"))
    return render_template("auth/logout.html", form=form)


@bp.post("/language")
def choose_language_page() -> Response:
    """The switcher on every page: a plain form. The choice is kept in the session, and on
    the profile of someone logged in; the same page comes back in that language."""
    form = EmptyForm()
    tag = request.form.get("language") or None
    back = _safe_next(request.form.get("next"))
    if not form.validate_on_submit() or not is_language(tag):
        return redirect(back)
    session[SESSION_KEY] = tag
    if current_user.is_authenticated:
        choose_language(current_user, tag)
    return redirect(back)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile() -> str | Response:
    form = ProfileForm(obj=current_user)
    form.timezone.choices = zone_choices_for(form.country.data or current_user.country,
                                             current_user.timezone)
    if form.validate_on_submit():
        chosen = Profile(name=form.name.data or "", country=form.country.data or None,
                         organisation=form.organisation.data or "",
                         timezone=form.timezone.data or "UTC")
        language = form.language.data or None
        if ran_service(form, lambda: update_profile(current_user, chosen, now(),
                                                    language=language)):
            if language:  # the switcher's choice would otherwise outlive the profile's
                session[SESSION_KEY] = language
            else:
                session.pop(SESSION_KEY, None)
            refresh()  # the message in the language just chosen
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit() and ran_service(form, lambda: change_password(
            current_user, current=form.current_password.data or "",
            new=form.new_password.data or "", now=now())):
        flash(_("Your password is changed. Other devices have been logged out."), "success")
        return redirect(url_for("auth.profile"))
    return render_template("auth/password.html", form=form)
