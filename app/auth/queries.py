"""Read-side queries over accounts for other features."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from app.auth.models import LoginSession, User, UserRole
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
