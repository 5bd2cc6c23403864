"""The rules of a link sent by e-mail (a password reset, an address's confirmation). Pure:
no Flask, no database.

A link opens once, before it expires, and only while the account's password is the one it
was sent against: the link carries a digest of the password hash of that moment, so any
change of password (the person's own, an administrator's reset, another reset link) voids
every link sent before it, with nothing to remember to revoke.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import Enum

RESET_LIFETIME = timedelta(hours=1)
VERIFY_LIFETIME = timedelta(days=2)
# 32 random bytes: 256 bits, as a login session's token.
TOKEN_BYTES = 32


class LinkState(Enum):
    VALID = "valid"
    UNKNOWN = "unknown"  # no such link (mistyped, or never sent)
    USED = "used"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"  # the password changed since it was sent

    @property
    def opens(self) -> bool:
        return self is LinkState.VALID


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """What is stored of a token: its SHA-256. A random 256-bit token needs no slow hash."""
    return hashlib.sha256(token.encode()).hexdigest()


def password_mark(password_hash: str) -> str:
    """A digest of the password hash, kept with a link: it changes whenever the password
    does (a new salt each time), and tells nothing about the password."""
    return hashlib.sha256(password_hash.encode()).hexdigest()


def link_state(*, expires_at: datetime, used_at: datetime | None, issued_mark: str,
               current_mark: str, now: datetime) -> LinkState:
    """Whether a link opens now. A used link says so even once it has expired too: that
    is what its owner most likely did."""
    if used_at is not None:
        return LinkState.USED
    if issued_mark != current_mark:
        return LinkState.SUPERSEDED
    if now >= expires_at:
        return LinkState.EXPIRED
    return LinkState.VALID
