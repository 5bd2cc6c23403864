"""Accounts, the roles they hold, their login sessions and the links sent to them."""

from __future__ import annotations

from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.passwords import verify_password
from app.core.roles import Role
from app.extensions import Model

_ROLE_VALUES = ", ".join(f"'{role.value}'" for role in Role)


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    country: Mapped[str | None] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    organisation: Mapped[str] = mapped_column(String(200), default="")
    # For the network's reports: manufacturer, regulator, academia, government or other;
    # gender only where the trainee gave it.
    organisation_type: Mapped[str | None] = mapped_column(String(20))
    gender: Mapped[str | None] = mapped_column(String(20))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # The interface's language they chose (app.core.i18n.LANGUAGES); None: their browser's.
    language: Mapped[str | None] = mapped_column(String(16))
    # Accounts that hold training records are deactivated, never deleted.
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    # Kept by app.notifications (one more on each notification, none after "mark all read"),
    # so that the header shows it from the row every page loads already.
    unread_notifications: Mapped[int] = mapped_column(default=0, server_default="0")
    # The local day of the last daily digest: the digest job claims a day by moving it on.
    digest_sent_on: Mapped[date | None]
    # When the owner followed the link sent to the address (or an administrator created the
    # account); None: not confirmed, which keeps them out while REQUIRE_EMAIL_VERIFICATION.
    email_verified_at: Mapped[datetime | None]

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin",
        order_by="UserRole.role",
    )

    # Set by the user loader (or at login) to the token of the session this request belongs to.
    session_token = None  # type: str | None

    def check_password(self, password: str) -> bool:
        """Whether `password` is this account's (argon2id: as slow as a log-in's check)."""
        matches, _ = verify_password(self.password_hash, password)
        return matches

    @property
    def is_active(self) -> bool:  # Flask-Login refuses to log in inactive accounts
        return self.active

    def get_id(self) -> str:
        """Flask-Login keeps this in the cookie: the login session's token, not the user id,
        so that ending the login session on the server logs the browser out."""
        if self.session_token is None:
            raise RuntimeError("user has no login session")
        return self.session_token

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(row.role) for row in self.role_rows)

    def has_role(self, role: Role) -> bool:
        return any(row.role == role.value for row in self.role_rows)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserRole(Model):
    __tablename__ = "user_roles"
    __table_args__ = (CheckConstraint(f"role IN ({_ROLE_VALUES})", name="known_role"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class LoginSession(Model):
    """One browser's login. The cookie carries a random token; only its hash is stored."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    # A digest of the browser's user agent, so that a sign-in from one the account has not
    # used before can be told to its owner (`app.auth.devices`).
    device: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User] = relationship()


class LoginFailure(Model):
    """A log-in password check that failed, or is under way: each is counted from the moment
    it starts, so that no worker can check a guess the limit has not yet counted (see
    `app.auth.lockout`). Keyed by the e-mail address as typed (lowercased), not by account,
    so that addresses with no account are limited exactly alike and a refusal tells nothing
    about whether an account exists. A successful log-in deletes its own row and the
    account's failures; an administrator's unlock deletes the failures; rows out of every
    window are swept as new checks start."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_email_started_at", "email", "started_at"),
        Index("ix_login_failures_address_started_at", "address", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    # The client's network address, as the trusted proxies report it (see TRUSTED_PROXIES).
    address: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(index=True)
    # False while the check is under way; True once the password was found not right.
    checked: Mapped[bool] = mapped_column(default=False)


TOKEN_PURPOSES = ("reset", "verify")


class AccountToken(Model):
    """A link sent by e-mail: choose a new password (`reset`) or confirm the address
    (`verify`). The link carries a random token; only its SHA-256 is stored. `password_mark`
    is a digest of the password hash the account had when the link was made: once the
    password changes, by any route, the link no longer opens (`app.auth.token_rules`)."""

    __tablename__ = "account_tokens"
    __table_args__ = (CheckConstraint(
        "purpose IN (" + ", ".join(f"'{p}'" for p in TOKEN_PURPOSES) + ")",
        name="known_purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    password_mark: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
