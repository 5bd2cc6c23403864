"""Registration by e-mail: an address confirmed by following the link sent to it, and a
registration form that never tells whether an address has an account.

With REQUIRE_EMAIL_VERIFICATION a new account cannot log in until its owner has followed
the link (`needs_confirmation`). For an address that has an account already, registration
answers as for a new one and its owner is told by mail, with a link to choose a new password
in case they forgot theirs; the same password hashing is done either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.auth.links import IssuedLink, LinkCheck, check_link, issue_link
from app.auth.mails import VERIFY_KIND, queue_account_mail, render_account_mail
from app.auth.models import User
from app.auth.passwords import hash_password
from app.auth.recovery import send_reset_mail
from app.auth.services import (
    Profile,
    account_problems,
    find_user_by_email,
    normalize_email,
    register_learner,
)
from app.auth.token_rules import LinkState, new_token
from app.core.errors import refuse_all
from app.records.services import record_event


@dataclass(frozen=True)
class SignUp:
    """What registering did: `user` is the new account, None when the address had one (the
    page must not show the difference); `confirm_by_mail` whether it must confirm first."""

    user: User | None
    confirm_by_mail: bool


def needs_confirmation(user: User, *, required: bool) -> bool:
    return required and user.email_verified_at is None


def send_confirmation_mail(user: User, now: datetime, *,
                           language: str | None = None) -> IssuedLink:
    link = issue_link(user, "verify", now)
    queue_account_mail("verify_email", VERIFY_KIND, user, link, now=now, language=language)
    return link


def sign_up(*, email: str, password: str, profile: Profile, now: datetime,
            require_confirmation: bool, language: str | None = None) -> SignUp:
    """Register a learner from the web, or tell the owner of a taken address. Refuses (every
    problem at once) what would be refused for a new address alike, and nothing more."""
    refuse_all(account_problems(email=email, password=password, profile=profile,
                                require_country=True, report_taken=False))
    existing = find_user_by_email(normalize_email(email))
    if existing is not None:
        hash_password(password)  # the work a new account's password costs
        if existing.active:
            link = send_reset_mail(existing, now, language=language,
                                   template="registration_attempt")
            record_event("user.password_reset_requested", actor=None, automatic=True, now=now,
                         subject_type="user", subject_id=existing.id, learner_id=existing.id,
                         details={"via": "registration",
                                  "expires_at": link.expires_at.isoformat()})
        return SignUp(None, require_confirmation)
    user = register_learner(email=email, password=password, profile=profile, now=now,
                            language=language)
    if require_confirmation:
        send_confirmation_mail(user, now, language=language)
    return SignUp(user, require_confirmation)


def resend_confirmation(email: str, *, now: datetime, language: str | None = None) -> None:
    """A new confirmation link, for an active account whose address is not confirmed yet;
    the same work and the same answer for any other address."""
    address = normalize_email(email)
    user = find_user_by_email(address)
    if user is None or not user.active or user.email_verified_at is not None:
        stand_in = user or User(email=address, name=address.split("@")[0], timezone="UTC")
        render_account_mail("verify_email", stand_in, IssuedLink(new_token(), now),
                            language=language)
        return
    send_confirmation_mail(user, now, language=language)


def check_confirmation_link(token: str, now: datetime) -> LinkCheck:
    return check_link(token, "verify", now)


def confirm_email(token: str, now: datetime) -> LinkState:
    """Follow a confirmation link: the address is confirmed and the link used up, when it
    opens; how it stands either way."""
    check = check_confirmation_link(token, now)
    user, row = check.user, check.row
    if user is None or row is None:
        return check.state
    row.used_at = now
    if user.email_verified_at is None:
        user.email_verified_at = now
        record_event("user.email_verified", actor=user, now=now, subject_type="user",
                     subject_id=user.id, learner_id=user.id)
    return LinkState.VALID
