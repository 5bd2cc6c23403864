"""Password reset and address confirmation by e-mail, as services, without HTTP."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.auth.lockout import configured_limits, login_locked_until, start_login_check
from app.auth.models import AccountToken, LoginFailure, LoginSession, User
from app.auth.recovery import (
    PasswordResetDone,
    complete_password_reset,
    request_password_reset,
    send_reset_link,
)
from app.auth.reset import reset_password
from app.auth.services import Profile, authenticate, change_password, start_login_session
from app.auth.token_rules import LinkState, token_digest
from app.auth.verification import confirm_email, needs_confirmation, resend_confirmation, sign_up
from app.core.errors import PermissionDenied, ValidationError
from app.core.roles import Role
from app.extensions import db
from app.records.models import Event
from tests.auth.outbox import outbox
from tests.conftest import DEFAULT_PASSWORD

NEW = "a river of slow green tea"


def events(action: str) -> list[Event]:
    return list(db.session.scalars(select(Event).where(Event.action == action)))


def _no_token_in_events(token: str) -> None:
    for event in db.session.scalars(select(Event)):
        assert token not in json.dumps(event.details, default=str)
        assert token_digest(token) not in json.dumps(event.details, default=str)


def test_a_request_for_an_account_queues_one_mail_with_a_one_hour_link(
        app, make_user, clock) -> None:
    amina = make_user("amina@example.org", name="Amina Yusuf")
    amina.language, amina.timezone = "fr", "Africa/Lagos"
    request_password_reset(" Amina@Example.org ", now=clock())
    [mail] = outbox()
    assert mail.kind == "account.password_reset" and mail.to == "amina@example.org"
    assert mail.language == "fr" and mail.link.startswith("http")
    # Only the token's digest is stored, never the token itself.
    row = db.session.scalar(select(AccountToken))
    assert row is not None
    assert row.token_hash == token_digest(mail.token) and mail.token not in row.token_hash
    assert row.expires_at == clock() + timedelta(hours=1) and row.purpose == "reset"
    # The expiry is written on Amina's clock (Lagos: UTC+1), in both parts.
    local = (clock() + timedelta(hours=2)).strftime("%H:%M")
    assert local in mail.text and local in mail.html
    [event] = events("user.password_reset_requested")
    assert event.learner_id == amina.id and event.actor_id is None
    _no_token_in_events(mail.token)


def test_a_request_for_no_account_queues_nothing_and_answers_the_same(
        app, make_user, clock) -> None:
    make_user("grace@example.org", roles=(Role.ADMIN,))
    request_password_reset("nobody@example.org", now=clock())
    assert outbox() == [] and db.session.scalar(select(func.count(AccountToken.id))) == 0
    assert events("user.password_reset_requested") == []
    with pytest.raises(ValidationError) as caught:
        request_password_reset("not an address", now=clock())
    assert caught.value.field == "email"


def test_a_deactivated_account_is_sent_nothing(app, make_user, clock) -> None:
    amina = make_user("amina@example.org")
    amina.active = False
    request_password_reset("amina@example.org", now=clock())
    assert outbox() == []


def _link_for(user: User, clock) -> str:
    request_password_reset(user.email, now=clock())
    return outbox()[-1].token


def test_setting_the_password_ends_every_session_lifts_a_lock_and_uses_the_link(
        app, make_user, clock) -> None:
    amina = make_user("amina@example.org")
    start_login_session(amina, clock())
    start_login_session(amina, clock())
    limits = configured_limits()
    for _ in range(limits.per_account.amount):
        start_login_check("amina@example.org", "10.0.0.1", limits, clock())
    db.session.execute(update(LoginFailure).values(checked=True))  # each found wrong
    db.session.commit()
    assert login_locked_until("amina@example.org", limits, clock()) is not None
    token = _link_for(amina, clock)
    clock.advance(minutes=5)
    done = complete_password_reset(token, new=NEW, limits=limits, now=clock())
    assert isinstance(done, PasswordResetDone)
    assert done.sessions_ended == 2 and done.unlocked
    assert db.session.scalar(select(func.count(LoginSession.id))
                             .where(LoginSession.ended_at.is_(None))) == 0
    assert authenticate("amina@example.org", NEW) is not None
    assert authenticate("amina@example.org", DEFAULT_PASSWORD) is None
    assert login_locked_until("amina@example.org", limits, clock()) is None
    [event] = events("user.password_reset_completed")
    assert event.actor_id == amina.id and event.details == {"sessions_ended": 2,
                                                           "unlocked": True}
    _no_token_in_events(token)
    # Single use.
    assert complete_password_reset(token, new="another long passphrase here",
                                   limits=limits, now=clock()) is LinkState.USED
    assert authenticate("amina@example.org", NEW) is not None


def test_a_link_expires_after_one_hour(app, make_user, clock) -> None:
    amina = make_user("amina@example.org")
    token = _link_for(amina, clock)
    clock.advance(hours=1)
    assert complete_password_reset(token, new=NEW, limits=configured_limits(),
                                   now=clock()) is LinkState.EXPIRED
    assert authenticate("amina@example.org", DEFAULT_PASSWORD) is not None


@pytest.mark.parametrize("route", ["own change", "administrator", "another link"])
def test_a_changed_password_voids_every_earlier_link(app, make_user, clock, route) -> None:
    amina = make_user("amina@example.org")
    grace = make_user("grace@example.org", roles=(Role.ADMIN,))
    token = _link_for(amina, clock)
    if route == "own change":
        change_password(amina, current=DEFAULT_PASSWORD, new=NEW, now=clock())
    elif route == "administrator":
        reset_password(grace, amina, new=None, reason="Lost", limits=configured_limits(),
                       now=clock())
    else:
        second = _link_for(amina, clock)
        complete_password_reset(second, new=NEW, limits=configured_limits(), now=clock())
    assert complete_password_reset(token, new="another long passphrase here",
                                   limits=configured_limits(), now=clock()
                                   ) is LinkState.SUPERSEDED


def test_an_unknown_token_opens_nothing_and_a_weak_password_is_refused_at_its_field(
        app, make_user, clock) -> None:
    amina = make_user("amina@example.org", name="Amina Yusuf")
    assert complete_password_reset("made-up", new=NEW, limits=configured_limits(),
                                   now=clock()) is LinkState.UNKNOWN
    token = _link_for(amina, clock)
    with pytest.raises(ValidationError) as caught:
        complete_password_reset(token, new="short", limits=configured_limits(), now=clock())
    assert caught.value.field == "new_password" and "at least 10" in caught.value.message


def test_an_administrator_sends_a_link_and_a_learner_may_not(app, make_user, clock) -> None:
    amina = make_user("amina@example.org")
    kim = make_user("kim@example.org")
    grace = make_user("grace@example.org", roles=(Role.ADMIN,))
    with pytest.raises(PermissionDenied):
        send_reset_link(kim, amina, now=clock())
    link = send_reset_link(grace, amina, now=clock(), reason="Asked at the front desk")
    [mail] = outbox()
    assert mail.token == link.token and "administrator" in mail.text
    [event] = events("user.password_reset_link_sent")
    assert event.actor_id == grace.id and event.reason == "Asked at the front desk"
    _no_token_in_events(link.token)
    # The password stays until the link is used.
    assert authenticate("amina@example.org", DEFAULT_PASSWORD) is not None
    amina.active = False
    with pytest.raises(ValidationError, match="deactivated"):
        send_reset_link(grace, amina, now=clock())


PROFILE = Profile(name="Amina Yusuf", country="NG", organisation="Biovaccines")


def test_signing_up_with_confirmation_sends_a_link_and_keeps_the_account_out(
        app, clock) -> None:
    signed = sign_up(email="amina@example.org", password=DEFAULT_PASSWORD, profile=PROFILE,
                     now=clock(), require_confirmation=True, language="es")
    assert signed.user is not None and signed.confirm_by_mail
    assert needs_confirmation(signed.user, required=True)
    assert not needs_confirmation(signed.user, required=False)
    [mail] = outbox()
    assert mail.kind == "account.verify_email" and mail.language == "es"
    assert confirm_email(mail.token, clock()) is LinkState.VALID
    assert not needs_confirmation(signed.user, required=True)
    assert [e.actor_id for e in events("user.email_verified")] == [signed.user.id]
    assert confirm_email(mail.token, clock()) is LinkState.USED


def test_signing_up_with_a_taken_address_tells_its_owner_and_nobody_else(
        app, make_user, clock) -> None:
    amina = make_user("amina@example.org")
    for required in (True, False):
        signed = sign_up(email="Amina@example.org", password="some other passphrase",
                         profile=PROFILE, now=clock(), require_confirmation=required)
        assert signed.user is None and signed.confirm_by_mail is required
    mails = outbox()
    assert [m.kind for m in mails] == ["account.password_reset"] * 2
    assert "tried to create a TrainHub account" in mails[0].text
    assert db.session.scalar(select(func.count(User.id))) == 1
    assert authenticate(amina.email, DEFAULT_PASSWORD) is not None
    # The link in it resets the password like any other.
    assert isinstance(complete_password_reset(mails[0].token, new=NEW,
                                              limits=configured_limits(), now=clock()),
                      PasswordResetDone)


def test_a_taken_address_is_refused_for_what_a_new_one_would_be_refused_for(
        app, make_user, clock) -> None:
    make_user("amina@example.org")
    with pytest.raises(ValidationError) as caught:
        sign_up(email="amina@example.org", password="short", profile=PROFILE, now=clock(),
                require_confirmation=True)
    assert caught.value.field == "password" and outbox() == []


def test_a_confirmation_link_is_sent_again_only_to_an_unconfirmed_account(
        app, make_user, clock) -> None:
    make_user("grace@example.org", roles=(Role.ADMIN,))  # confirmed: created by an operator
    signed = sign_up(email="amina@example.org", password=DEFAULT_PASSWORD, profile=PROFILE,
                     now=clock(), require_confirmation=True)
    for address in ("amina@example.org", "grace@example.org", "nobody@example.org"):
        resend_confirmation(address, now=clock())
    assert [m.to for m in outbox()] == ["amina@example.org"] * 2
    assert signed.user is not None


def test_a_reset_link_confirms_the_address_too(app, clock) -> None:
    signed = sign_up(email="amina@example.org", password=DEFAULT_PASSWORD, profile=PROFILE,
                     now=clock(), require_confirmation=True)
    assert signed.user is not None
    token = _link_for(signed.user, clock)
    complete_password_reset(token, new=NEW, limits=configured_limits(), now=clock())
    assert not needs_confirmation(signed.user, required=True)
