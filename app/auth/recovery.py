"""A forgotten password, recovered by e-mail: a reset link asked for on the log-in page or
sent by an administrator, then a new password set through it.

Asking gives the same answer whether or not the address has an account, and does the same
work: a token is made and hashed and the message rendered either way; only an account's
owner is sent it. Setting the new password ends every log-in session of the account, lifts
a lock from failed log-ins (`app.auth.reset` says why), confirms the address (the link came
through it) and uses the link up. Each step is an audit event, never with the token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from app.auth.links import IssuedLink, LinkCheck, check_link, issue_link
from app.auth.lockout import LoginLimits, lift_lock_on_new_password
from app.auth.mails import RESET_KIND, queue_account_mail, render_account_mail
from app.auth.models import User
from app.auth.passwords import hash_password, password_problems
from app.auth.services import end_login_sessions, find_user_by_email, normalize_email
from app.auth.token_rules import LinkState, new_token, token_digest
from app.core.auth import authorize
from app.core.errors import ValidationError
from app.records.services import record_event


@dataclass(frozen=True)
class PasswordResetDone:
    user: User
    sessions_ended: int
    unlocked: bool


def _event(action: str, user: User, now: datetime, *, actor: User | None = None,
           automatic: bool = False, reason: str = "", **details: object) -> None:
    record_event(action, actor=actor, automatic=automatic, now=now, subject_type="user",
                 subject_id=user.id, learner_id=user.id, reason=reason, details=details)


def send_reset_mail(user: User, now: datetime, *, language: str | None = None,
                    by_admin: bool = False, template: str = "password_reset") -> IssuedLink:
    """Issue a reset link for `user` and queue the message that carries it."""
    link = issue_link(user, "reset", now)
    queue_account_mail(template, RESET_KIND, user, link, now=now, language=language,
                       by_admin=by_admin)
    return link


def _stand_in(email: str, now: datetime, language: str | None) -> None:
    """The work of a reset for an address with no account, sent nowhere: the answer's time
    tells no more than its words."""
    stand_in = User(email=email, name=email.split("@")[0], password_hash="", timezone="UTC")
    token = new_token()
    token_digest(token)
    render_account_mail("password_reset", stand_in, IssuedLink(token, now), language=language,
                        by_admin=False)


def request_password_reset(email: str, *, now: datetime, language: str | None = None) -> None:
    """Someone asked on the log-in page for a link to choose a new password. Sent only to an
    active account's address; the caller answers the same either way. ValidationError
    (field `email`) only when the address is not one."""
    address = normalize_email(email)
    user = find_user_by_email(address)
    if user is None or not user.active:
        _stand_in(address, now, language)
        return
    link = send_reset_mail(user, now, language=language)
    _event("user.password_reset_requested", user, now, automatic=True, via="log-in page",
           expires_at=link.expires_at.isoformat())


def send_reset_link(actor: User | None, user: User, *, now: datetime,
                    reason: str = "") -> IssuedLink:
    """An administrator (or the command line: `actor` None) sends `user` a reset link."""
    if actor is not None:
        authorize(actor, "user.reset_password", user)
    if not user.active:
        raise ValidationError(_l("This account is deactivated: reactivate it before sending "
                                 "it a link."), field="reset")
    link = send_reset_mail(user, now, by_admin=True)
    _event("user.password_reset_link_sent", user, now, actor=actor, reason=reason,
           expires_at=link.expires_at.isoformat())
    return link


def check_reset_link(token: str, now: datetime) -> LinkCheck:
    return check_link(token, "reset", now)


def complete_password_reset(token: str, *, new: str, limits: LoginLimits,
                            now: datetime) -> PasswordResetDone | LinkState:
    """Set the password through a reset link: what it did, or why the link no longer
    opens (nothing is written then). ValidationError (field `new_password`) for a password
    the rules refuse."""
    check = check_reset_link(token, now)
    user, row = check.user, check.row
    if user is None or row is None:
        return check.state
    problems = password_problems(new, email=user.email, name=user.name)
    if problems:
        raise ValidationError(" ".join(problems), field="new_password")
    user.password_hash = hash_password(new)
    row.used_at = now
    if user.email_verified_at is None:
        user.email_verified_at = now
    ended = end_login_sessions(user, now)
    locked_until = lift_lock_on_new_password(user, limits, now)
    _event("user.password_reset_completed", user, now, actor=user, sessions_ended=ended,
           unlocked=locked_until is not None)
    return PasswordResetDone(user, ended, locked_until is not None)
