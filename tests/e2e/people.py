"""The people the browser journeys meet, made in the live app's database (call inside its
app context): Grace, the administrator, and Ivan, on the course staff's side."""

from __future__ import annotations

from datetime import datetime

from app.auth.models import User
from app.auth.services import Profile, create_account
from app.core.roles import Role
from tests.e2e.pages import PASSWORD


def make_grace(now: datetime) -> User:
    """Grace Admin, an administrator (grace@example.org)."""
    return create_account(email="grace@example.org", password=PASSWORD,
                          profile=Profile("Grace Admin", "GH"), roles=[Role.ADMIN], now=now)


def make_ivan(now: datetime, *roles: Role, timezone: str = "UTC") -> User:
    """Ivan Petrov (ivan@example.org) in the given staff roles, on his own clock."""
    return create_account(email="ivan@example.org", password=PASSWORD,
                          profile=Profile("Ivan Petrov", "RS", timezone=timezone),
                          roles=list(roles), now=now)
