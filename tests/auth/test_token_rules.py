"""The rules of a link sent by e-mail, pure: expiry, reuse, a changed password."""

from datetime import UTC, datetime, timedelta

from app.auth.token_rules import (
    RESET_LIFETIME,
    LinkState,
    link_state,
    new_token,
    password_mark,
    token_digest,
)

NOW = datetime(2026, 12, 9, 10, 0, tzinfo=UTC)
MARK = password_mark("$argon2id$v=19$m=19456,t=2,p=1$salt$hash")


def state(*, expires_at=NOW + RESET_LIFETIME, used_at=None, current_mark=MARK, now=NOW):
    return link_state(expires_at=expires_at, used_at=used_at, issued_mark=MARK,
                      current_mark=current_mark, now=now)


def test_a_fresh_link_opens_until_its_hour_is_over() -> None:
    assert timedelta(hours=1) == RESET_LIFETIME
    assert state() is LinkState.VALID and state().opens
    assert state(now=NOW + timedelta(minutes=59, seconds=59)) is LinkState.VALID
    assert state(now=NOW + RESET_LIFETIME) is LinkState.EXPIRED
    assert not LinkState.EXPIRED.opens


def test_a_used_link_never_opens_again_and_says_it_was_used() -> None:
    assert state(used_at=NOW) is LinkState.USED
    # Used, then expired too: "used" is what its owner did.
    assert state(used_at=NOW, now=NOW + timedelta(days=1)) is LinkState.USED


def test_a_changed_password_voids_the_link() -> None:
    changed = password_mark("$argon2id$v=19$m=19456,t=2,p=1$other$hash")
    assert changed != MARK
    assert state(current_mark=changed) is LinkState.SUPERSEDED
    assert state(current_mark=changed, now=NOW + timedelta(hours=2)) is LinkState.SUPERSEDED


def test_tokens_are_random_and_only_their_digest_is_kept() -> None:
    first, second = new_token(), new_token()
    assert first != second and len(first) >= 43
    assert token_digest(first) != first and len(token_digest(first)) == 64
    assert token_digest(first) == token_digest(first)
    assert MARK != "$argon2id$v=19$m=19456,t=2,p=1$salt$hash" and len(MARK) == 64
