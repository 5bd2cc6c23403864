"""Read-side queries for the administration pages."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, or_, select

from app.auth.models import User, UserRole
from app.centres.scope import people_of_centres
from app.core.roles import Role
from app.extensions import db


def users_page(search: str, role: Role | None, page: int, per_page: int,
               centres: frozenset[int] | None = None) -> Pagination:
    """One page of accounts matching the search, newest first; roles come in one more query.
    With `centres`, only those centres' people (centres.scope.people_of_centres)."""
    statement: Select[tuple[User]] = select(User).order_by(User.created_at.desc(), User.id.desc())
    if centres is not None:
        statement = statement.where(User.id.in_(people_of_centres(centres)))
    if search:
        pattern = f"%{search.strip().lower()}%"
        statement = statement.where(or_(
            func.lower(User.email).like(pattern),
            func.lower(User.name).like(pattern),
            func.lower(User.organisation).like(pattern),
        ))
    if role is not None:
        statement = statement.where(
            User.id.in_(select(UserRole.user_id).where(UserRole.role == role.value))
        )
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)
