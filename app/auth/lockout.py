"""Log-in limits counted in the database, where every worker and every node sees them.

They used to be Flask-Limiter counters; with its embedded `memory://` storage each gunicorn
worker kept its own, so two workers let an attacker make twice the documented number of
guesses. A lock-out is a rule about an account and belongs with its records: failures are
rows of `login_failures`, the rule is `app.auth.rules`, and the lock-out and each unlock are
audit events. The per-address limit is counted in the same rows rather than left to
Flask-Limiter, which shares counts only through Redis, absent under `make run`.

The promise: for one e-mail address, the password checks under way plus the failures in the
window never exceed the limit, however many workers or nodes check. So a check is counted
*before* it is made, and a log-in runs in three steps:

1. `start_login_check`, in a short write transaction that the caller commits before step 2:
   under the e-mail address's lock, then the network address's (PostgreSQL advisory locks;
   on SQLite the write transaction's BEGIN IMMEDIATE already holds the database's write
   lock), count the failures and checks under way; refuse, or add a row that counts this
   check as failed until it is shown not to be. Without the lock, two workers counting at
   once each see room for one more (the two-worker test, run without it on PostgreSQL, let
   6 guesses through in one run of three).
2. `verify_login_password`: argon2id, tens of milliseconds by design, outside any transaction,
   so that the log-ins of a room starting an exam do not queue behind each other's hashing.
3. `finish_login_check`, in the request's write transaction, under the e-mail address's
   lock: the right password deletes the row and the account's finished failures (checks
   still under way stay counted, so a success never makes room for more concurrent checks
   than the limit); a wrong one marks it checked, and the failure that reaches the limit
   records `user.locked_out`.

Counting in step 3 alone, after the check, would let twenty guesses sent at once all be hashed
and answered before the first of them was counted. A worker that dies between steps 1 and 3
leaves its row counted as a failure: the safe side.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import Select, delete, select, text, update

from app.auth.models import LoginFailure, User
from app.auth.passwords import hash_password, verify_password
from app.auth.queries import (
    ACCOUNT_WITH_ROLES,
    CHECKS_BY_ADDRESS,
    CHECKS_BY_EMAIL,
    LOGIN_ACCOUNT,
    SWEEP,
)
from app.auth.rules import AttemptLimit, lock_begins, locked_until, minutes_to_wait
from app.core.auth import authorize
from app.core.errors import ValidationError
from app.core.roles import Role
from app.extensions import db
from app.records.services import record_event

# Any constant: the first half of the two-part advisory lock keys taken here. PostgreSQL
# keeps two-part keys apart from the one-part key the audit chain locks with.
_LOCK_NAMESPACE = 1_140_711
# Rows out of every window are deleted a few at a time as checks start.
_SWEEP_BATCH = 100


@dataclass(frozen=True)
class LoginLimits:
    per_account: AttemptLimit
    per_address: AttemptLimit

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LoginLimits:
        from app.config import ConfigError

        parsed = []
        for key in ("LOGIN_LIMIT_PER_ACCOUNT", "LOGIN_LIMIT_PER_ADDRESS"):
            try:
                parsed.append(AttemptLimit.parse(str(config[key])))
            except ValueError as error:
                raise ConfigError(f"{key} must read like '5 per 15 minutes': {error}") from error
        return cls(*parsed)

    @property
    def longest_window(self) -> timedelta:
        return max(self.per_account.window, self.per_address.window)


def configured_limits() -> LoginLimits:
    """The current app's limits, parsed when it started (for views and commands)."""
    limits: LoginLimits = current_app.extensions["login_limits"]
    return limits


@dataclass(frozen=True)
class LoginRefused:
    """No password check: the account's (`scope` "account") or the network address's limit
    is reached until `until`."""

    scope: str
    until: datetime

    def message(self, now: datetime) -> str:
        wait = minutes_to_wait(self.until, now)
        if self.scope == "account":
            return ngettext("Too many failed log-ins for this account. For its security, "
                            "logging in is paused: try again in %(num)d minute, or ask an "
                            "administrator to unlock it.",
                            "Too many failed log-ins for this account. For its security, "
                            "logging in is paused: try again in %(num)d minutes, or ask an "
                            "administrator to unlock it.", wait)
        return ngettext("Too many failed log-ins from your network. Logging in from it is "
                        "paused: try again in %(num)d minute.",
                        "Too many failed log-ins from your network. Logging in from it is "
                        "paused: try again in %(num)d minutes.", wait)


@dataclass(frozen=True)
class LoginCheck:
    """A password check counted by `start_login_check` and not yet finished. Whether an
    account exists changes nothing the visitor can see or time: an unknown address is
    counted, checked against a dummy hash and answered alike."""

    failure_id: int
    email: str
    address: str
    started_at: datetime
    user_id: int | None
    password_hash: str | None


@dataclass(frozen=True)
class PasswordVerdict:
    matches: bool
    needs_rehash: bool


def email_key(email: str) -> str:
    """The spelling failures are counted under: the one `find_user_by_email` looks up."""
    return email.strip().lower()[:254]


def _lock(kind: str, value: str) -> None:
    """Serialize the counting for one e-mail address or network address until the end of the
    transaction. A key collision only makes two unrelated keys wait for each other."""
    if db.session.get_bind().dialect.name != "postgresql":
        return  # SQLite: the write transaction began IMMEDIATE and holds the write lock
    digest = hashlib.sha256(f"{kind}:{value}".encode()).digest()
    db.session.execute(text("SELECT pg_advisory_xact_lock(:namespace, :key)"), {
        "namespace": _LOCK_NAMESPACE, "key": int.from_bytes(digest[:4], "big", signed=True)})


def _counted(checks: Select[tuple[object]], value: str, limit: AttemptLimit,
             now: datetime) -> list[datetime]:
    """The newest checks that count against `limit` (`CHECKS_BY_EMAIL` or
    `CHECKS_BY_ADDRESS`): only the newest `amount` matter."""
    return list(db.session.scalars(checks, {"value": value, "since": now - limit.window,
                                            "amount": limit.amount}))


def login_locked_until(email: str, limits: LoginLimits, now: datetime) -> datetime | None:
    """Until when log-ins to this e-mail address are refused, or None."""
    return locked_until(_counted(CHECKS_BY_EMAIL, email_key(email), limits.per_account, now),
                        limits.per_account, now)


def start_login_check(email: str, address: str, limits: LoginLimits,
                      now: datetime) -> LoginCheck | LoginRefused:
    """Count a password check before it is made, or refuse it (step 1). Call in a write
    transaction and commit before checking the password. Locks are taken account first,
    then address, in every transaction, so two log-ins cannot wait for each other in a
    circle."""
    key, address = email_key(email), (address or "unknown")[:64]
    _lock("account", key)
    _lock("address", address)
    until = locked_until(_counted(CHECKS_BY_EMAIL, key, limits.per_account, now),
                         limits.per_account, now)
    if until is not None:
        return LoginRefused("account", until)
    until = locked_until(_counted(CHECKS_BY_ADDRESS, address, limits.per_address, now),
                         limits.per_address, now)
    if until is not None:
        return LoginRefused("address", until)
    failure = LoginFailure(email=key, address=address, started_at=now, checked=False)
    db.session.add(failure)
    db.session.flush()
    _sweep(now - limits.longest_window)
    account = db.session.execute(LOGIN_ACCOUNT, {"email": key}).first()
    return LoginCheck(failure.id, key, address, now, account.id if account else None,
                      account.password_hash if account else None)


def _sweep(cutoff: datetime) -> None:
    """Delete a batch of rows out of every window. SKIP LOCKED on PostgreSQL: two log-ins
    sweeping at once never wait for each other (nor deadlock over the same rows); SQLite has
    one writer at a time anyway."""
    db.session.execute(SWEEP, {"cutoff": cutoff, "batch": _SWEEP_BATCH},
                       execution_options={"synchronize_session": False})


def verify_login_password(check: LoginCheck, password: str) -> PasswordVerdict:
    """The slow check (step 2). Reads nothing: run it outside any transaction."""
    matches, needs_rehash = verify_password(check.password_hash, password)
    return PasswordVerdict(matches, needs_rehash)


def finish_login_check(check: LoginCheck, verdict: PasswordVerdict, password: str,
                       limits: LoginLimits, now: datetime) -> User | None:
    """Settle a counted check (step 3), in a write transaction: the active account whose
    password this was, or None (the failure stays counted). Commit either way."""
    _lock("account", check.email)
    # With its roles in one statement: the session that a right password starts needs them.
    user = (db.session.scalars(ACCOUNT_WITH_ROLES, {"user_id": check.user_id}).unique().first()
            if check.user_id is not None else None)
    if user is not None and user.active and verdict.matches:
        db.session.execute(delete(LoginFailure).where(
            (LoginFailure.id == check.failure_id)
            | ((LoginFailure.email == check.email) & LoginFailure.checked.is_(True))),
            execution_options={"synchronize_session": False})
        if verdict.needs_rehash:
            user.password_hash = hash_password(password)
        return user
    db.session.execute(update(LoginFailure).where(LoginFailure.id == check.failure_id)
                       .values(checked=True), execution_options={"synchronize_session": False})
    if user is not None:
        _record_if_locked_out(user, check, limits.per_account, now)
    return None


def _record_if_locked_out(user: User, check: LoginCheck, limit: AttemptLimit,
                          now: datetime) -> None:
    """The failure that locks the account records it, once per lock: checks still under way
    do not count here, so of several finishing at once only the last sees the full count."""
    earlier = db.session.scalars(
        select(LoginFailure.started_at)
        .where(LoginFailure.email == check.email, LoginFailure.checked.is_(True),
               LoginFailure.id != check.failure_id,
               LoginFailure.started_at > now - limit.window)
        .order_by(LoginFailure.started_at.desc()).limit(limit.amount))
    until = lock_begins(earlier, check.started_at, limit, now)
    if until is not None:
        record_event("user.locked_out", actor=None, automatic=True, now=now,
                     subject_type="user", subject_id=user.id, learner_id=user.id,
                     details={"failures": limit.amount, "address": check.address,
                              "window_minutes": int(limit.window.total_seconds() // 60),
                              "locked_until": until})


def may_unlock(actor: User, _target: User) -> bool:
    return actor.has_role(Role.ADMIN)


def unlock_account(actor: User | None, user: User, limits: LoginLimits, now: datetime,
                   reason: str = "") -> bool:
    """Lift a log-in lock before its time by forgetting the account's failures. `actor`
    None is the command line. Returns whether the account was locked."""
    if actor is not None:
        authorize(actor, "user.unlock", user)
    key = email_key(user.email)
    _lock("account", key)
    until = login_locked_until(key, limits, now)
    if until is None:
        return False
    if not reason.strip():
        raise ValidationError(_l("Say why the account is unlocked."), field="reason")
    # Checks under way stay counted: each still settles, and none can start beyond the limit.
    cleared = db.session.execute(
        delete(LoginFailure).where(LoginFailure.email == key, LoginFailure.checked.is_(True)),
        execution_options={"synchronize_session": False})
    record_event("user.unlocked", actor=actor, now=now, subject_type="user",
                 subject_id=user.id, learner_id=user.id, reason=reason,
                 details={"locked_until": until,
                          "failures_cleared": int(cleared.rowcount or 0)})  # type: ignore[attr-defined]
    return True


def lift_lock_on_new_password(user: User, limits: LoginLimits, now: datetime) -> datetime | None:
    """Forget the failed log-ins of an account whose owner has just set a new password
    through a reset link: they were made against a password that no longer opens it (see
    `app.auth.reset`). Until when it was locked, or None when it was not (nothing is
    forgotten then). The reset's own event says so; no "unlocked" event of its own."""
    key = email_key(user.email)
    _lock("account", key)
    until = login_locked_until(key, limits, now)
    if until is not None:
        db.session.execute(
            delete(LoginFailure).where(LoginFailure.email == key,
                                       LoginFailure.checked.is_(True)),
            execution_options={"synchronize_session": False})
    return until
