"""An administrator's reset of a password someone lost: a new password, every log-in
session of the account ended, and a lock from failed log-ins lifted.

A lock protects the old password from guessing; once an administrator has set a new one,
the failures it counted were made against a password that no longer opens the account, and
keeping the lock would only keep the person out for its remaining minutes. It is lifted
through `unlock_account`, which records its own event with the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from app.auth.lockout import LoginLimits, unlock_account
from app.auth.models import User
from app.auth.passwords import generate_password, hash_password, password_problems
from app.auth.services import end_login_sessions
from app.core.auth import authorize
from app.core.errors import ValidationError
from app.core.roles import Role
from app.records.services import record_event


@dataclass(frozen=True)
class PasswordReset:
    """What a reset did. `password` is the new one, for the administrator to pass on once;
    it is kept nowhere else (the account keeps its hash, the audit trail neither)."""

    password: str
    generated: bool
    sessions_ended: int
    unlocked: bool


def may_reset_password(actor: User, _target: User) -> bool:
    return actor.has_role(Role.ADMIN)


def reset_password(actor: User | None, user: User, *, new: str | None, reason: str,
                   limits: LoginLimits, now: datetime) -> PasswordReset:
    """Give `user` the password `new`, or a random strong one when it is None; `actor`
    None is the command line."""
    if actor is not None:
        authorize(actor, "user.reset_password", user)
    if not reason.strip():
        raise ValidationError(_l("Say why the password is reset."), field="reason")
    password = generate_password(email=user.email, name=user.name) if new is None else new
    problems = password_problems(password, email=user.email, name=user.name)
    if problems:
        raise ValidationError(" ".join(problems), field="password")
    user.password_hash = hash_password(password)
    ended = end_login_sessions(user, now)
    record_event("user.password_reset", actor=actor, now=now, subject_type="user",
                 subject_id=user.id, learner_id=user.id, reason=reason,
                 details={"generated": new is None, "sessions_ended": ended})
    unlocked = unlock_account(actor, user, limits, now, reason=reason)
    return PasswordReset(password=password, generated=new is None, sessions_ended=ended,
                         unlocked=unlocked)
