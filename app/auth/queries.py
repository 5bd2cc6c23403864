"""Read-side queries over accounts for other features."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from typing import cast

from sqlalchemy import Select, Table, bindparam, delete, func, select
from sqlalchemy.orm import joinedload

from app.auth.models import LoginFailure, LoginSession, User, UserRole
from app.extensions import db
from app.records.checks import stream_rows
from app.records.replay import Key, Row

# Every request of a logged-in user runs it, so it is built once (docs/performance.md): the
# account of an open login session, with its roles in the same statement.
_SESSION_USER = (
    select(User).join(LoginSession, LoginSession.user_id == User.id)
    .where(LoginSession.token_hash == bindparam("token_hash"), LoginSession.ended_at.is_(None),
           User.active.is_(True))
    .options(joinedload(User.role_rows)))


# A log-in runs these, 500 times in the ten seconds an exam starts (docs/performance.md).
_failures, _users = cast(Table, LoginFailure.__table__), cast(Table, User.__table__)
_sessions = cast(Table, LoginSession.__table__)


def _newest_checks(column: str) -> Select[tuple[object]]:
    """The start times of the newest `amount` checks counted under one e-mail or network
    address since `since`: only the newest `amount` decide a lock."""
    return (select(_failures.c.started_at)
            .where(_failures.c[column] == bindparam("value"),
                   _failures.c.started_at > bindparam("since"))
            .order_by(_failures.c.started_at.desc()).limit(bindparam("amount")))


CHECKS_BY_EMAIL, CHECKS_BY_ADDRESS = _newest_checks("email"), _newest_checks("address")
# Rows out of every window, a batch at a time. SKIP LOCKED on PostgreSQL: two log-ins
# sweeping at once never wait for each other (nor deadlock over the same rows).
SWEEP = delete(_failures).where(_failures.c.id.in_(
    select(_failures.c.id).where(_failures.c.started_at <= bindparam("cutoff"))
    .order_by(_failures.c.id).limit(bindparam("batch")).with_for_update(skip_locked=True)))
# What a log-in's first step needs of the account: no ORM load, no roles.
LOGIN_ACCOUNT = select(_users.c.id, _users.c.password_hash).where(
    _users.c.email == bindparam("email"))
# The account a right password opens, with its roles, in one statement.
ACCOUNT_WITH_ROLES = (select(User).where(User.id == bindparam("user_id"))
                      .options(joinedload(User.role_rows)))
# Whether the account has signed in before from some known browser, and from this one.
KNOWN_DEVICES = select(
    func.count(_sessions.c.device).label("known"),
    func.count(_sessions.c.device).filter(_sessions.c.device == bindparam("device"))
    .label("this_one")).where(_sessions.c.user_id == bindparam("user_id"))


def session_user(token_hash: str) -> User | None:
    """The active account whose open login session has this token hash."""
    return db.session.scalars(_SESSION_USER, {"token_hash": token_hash}).unique().first()


def find_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def ids_with_email_like(pattern: str) -> Select[int]:
    """The accounts whose e-mail is like `pattern`, as a statement to run inside another."""
    return select(User.id).where(User.email.ilike(pattern))


def user_rows() -> Iterator[tuple[Key, Row]]:
    """The records' reader of "users": each account's active flag and roles."""
    rows = stream_rows(select(User.id, User.active, UserRole.role)
                       .outerjoin(UserRole, UserRole.user_id == User.id)
                       .order_by(User.id, UserRole.role))
    for user_id, group in groupby(rows, key=lambda row: row.id):
        members = list(group)
        yield (user_id,), {"id": user_id, "active": members[0].active,
                           "roles": sorted(row.role for row in members if row.role)}
