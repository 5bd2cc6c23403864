"""Links sent by e-mail to an account, as rows of `account_tokens`: made, looked up, used.

The token itself lives only in the message (and the address bar of whoever follows it);
the database keeps its SHA-256, and no audit event ever holds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app.auth.models import AccountToken, User
from app.auth.token_rules import (
    RESET_LIFETIME,
    VERIFY_LIFETIME,
    LinkState,
    link_state,
    new_token,
    password_mark,
    token_digest,
)
from app.extensions import db

LIFETIMES = {"reset": RESET_LIFETIME, "verify": VERIFY_LIFETIME}


@dataclass(frozen=True)
class IssuedLink:
    token: str  # for the message only: never stored, never logged
    expires_at: datetime


@dataclass(frozen=True)
class LinkCheck:
    state: LinkState
    row: AccountToken | None = None

    @property
    def user(self) -> User | None:
        return self.row.user if self.row is not None and self.state.opens else None


def issue_link(user: User, purpose: str, now: datetime, *,
               lifetime: timedelta | None = None) -> IssuedLink:
    """A new link of `purpose` ("reset", "verify") for `user`, valid for its lifetime (or
    `lifetime`: an invitation's set-password link waits longer than a reset's)."""
    token = new_token()
    expires_at = now + (lifetime or LIFETIMES[purpose])
    db.session.add(AccountToken(user_id=user.id, purpose=purpose,
                                token_hash=token_digest(token),
                                password_mark=password_mark(user.password_hash),
                                created_at=now, expires_at=expires_at))
    db.session.flush()
    return IssuedLink(token, expires_at)


def check_link(token: str, purpose: str, now: datetime) -> LinkCheck:
    """Whether the link with this token opens now; with its row when there is one."""
    row = db.session.scalar(select(AccountToken).where(
        AccountToken.token_hash == token_digest(token), AccountToken.purpose == purpose))
    if row is None or not row.user.active:
        return LinkCheck(LinkState.UNKNOWN)
    return LinkCheck(link_state(expires_at=row.expires_at, used_at=row.used_at,
                                issued_mark=row.password_mark,
                                current_mark=password_mark(row.user.password_hash), now=now),
                     row)
