"""Log-in limits as services, without HTTP: counting, refusing, locking out, unlocking."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.auth.lockout import (
    LoginCheck,
    LoginLimits,
    LoginRefused,
    finish_login_check,
    login_locked_until,
    start_login_check,
    unlock_account,
    verify_login_password,
)
from app.auth.models import LoginFailure
from app.auth.rules import AttemptLimit
from app.config import ConfigError
from app.core.errors import PermissionDenied, ValidationError
from app.core.roles import Role
from app.extensions import db
from app.records.models import Event
from tests.conftest import DEFAULT_PASSWORD

LIMITS = LoginLimits(AttemptLimit(3, timedelta(minutes=15)),
                     AttemptLimit(6, timedelta(minutes=15)))
ADDRESS = "192.0.2.7"


def attempt(email: str, password: str, clock, address: str = ADDRESS):
    """One log-in as the page makes it: count, commit, check, settle, commit. Returns the
    refusal, or the id of the account logged in (None: the password was not right)."""
    check = start_login_check(email, address, LIMITS, clock())
    db.session.commit()
    if isinstance(check, LoginRefused):
        return check
    user = finish_login_check(check, verify_login_password(check, password), password,
                              LIMITS, clock())
    db.session.commit()
    return user.id if user else None


def events(action: str) -> list[Event]:
    return list(db.session.scalars(select(Event).where(Event.action == action)))


def failures() -> int:
    return db.session.scalar(select(func.count()).select_from(LoginFailure)) or 0


def test_the_limits_come_from_the_configuration() -> None:
    limits = LoginLimits.from_config({"LOGIN_LIMIT_PER_ACCOUNT": "5 per 15 minutes",
                                      "LOGIN_LIMIT_PER_ADDRESS": "50 per hour"})
    assert limits.per_account == AttemptLimit(5, timedelta(minutes=15))
    assert limits.longest_window == timedelta(hours=1)
    with pytest.raises(ConfigError, match="LOGIN_LIMIT_PER_ADDRESS"):
        LoginLimits.from_config({"LOGIN_LIMIT_PER_ACCOUNT": "5 per 15 minutes",
                                 "LOGIN_LIMIT_PER_ADDRESS": "lots"})


def test_a_misspelt_limit_stops_the_app_from_starting(make_app) -> None:
    with pytest.raises(ConfigError, match="LOGIN_LIMIT_PER_ACCOUNT"):
        make_app(LOGIN_LIMIT_PER_ACCOUNT="five")


def test_the_right_password_logs_in_and_clears_the_failures(app, make_user, clock) -> None:
    amina = make_user("amina@example.org")
    assert attempt("amina@example.org", "wrong password", clock) is None
    assert attempt("amina@example.org", "wrong password", clock) is None
    assert failures() == 2
    assert attempt(" Amina@Example.org ", DEFAULT_PASSWORD, clock) == amina.id
    assert failures() == 0
    assert events("user.locked_out") == []


def test_a_log_in_upgrades_an_outdated_hash(app, make_user, clock) -> None:
    from argon2 import PasswordHasher

    amina = make_user("amina@example.org")
    amina.password_hash = PasswordHasher(time_cost=1, memory_cost=8 * 1024,
                                         parallelism=1).hash(DEFAULT_PASSWORD)
    db.session.commit()
    assert attempt("amina@example.org", DEFAULT_PASSWORD, clock) == amina.id
    db.session.refresh(amina)
    assert "m=19456,t=2,p=1" in amina.password_hash


def test_a_check_counts_from_its_start_so_none_can_start_beyond_the_limit(
        app, make_user, clock) -> None:
    """Three checks under way at once (three workers hashing) fill the limit: a fourth is
    refused before any of them has an answer."""
    make_user("amina@example.org")
    started = [start_login_check("amina@example.org", ADDRESS, LIMITS, clock())
               for _ in range(3)]
    assert all(isinstance(check, LoginCheck) for check in started)
    refused = start_login_check("amina@example.org", ADDRESS, LIMITS, clock())
    assert isinstance(refused, LoginRefused) and refused.scope == "account"
    assert refused.until == clock() + timedelta(minutes=15)
    assert failures() == 3


def test_the_failure_that_reaches_the_limit_locks_the_account_once(
        app, make_user, clock) -> None:
    amina = make_user("amina@example.org")
    checks = [start_login_check("amina@example.org", ADDRESS, LIMITS, clock())
              for _ in range(3)]
    db.session.commit()
    for check in checks:  # settled in any order: only the last makes the lock
        assert isinstance(check, LoginCheck)
        assert finish_login_check(check, verify_login_password(check, "wrong password"),
                                  "wrong password", LIMITS, clock()) is None
    db.session.commit()
    [locked] = events("user.locked_out")
    assert locked.subject_id == str(amina.id) and locked.learner_id == amina.id
    assert locked.actor_name == "TrainHub (automatic)"
    assert locked.details["failures"] == 3 and locked.details["address"] == ADDRESS
    assert locked.details["locked_until"] == (clock() + timedelta(minutes=15)).isoformat()


def test_even_the_right_password_is_refused_while_locked(app, make_user, clock) -> None:
    make_user("amina@example.org")
    for _ in range(3):
        attempt("amina@example.org", "wrong password", clock)
    refused = attempt("amina@example.org", DEFAULT_PASSWORD, clock)
    assert isinstance(refused, LoginRefused)
    assert "try again in 15 minutes" in refused.message(clock())
    clock.advance(minutes=3, seconds=30)
    assert "try again in 12 minutes" in refused.message(clock())
    assert failures() == 3  # a refusal is not a check: it neither counts nor extends
    clock.advance(minutes=11, seconds=30)
    assert attempt("amina@example.org", DEFAULT_PASSWORD, clock) is not None


def test_an_unknown_address_is_counted_and_refused_alike(app, make_user, clock) -> None:
    make_user("amina@example.org")
    for email in ("amina@example.org", "nobody@example.org"):
        for _ in range(3):
            assert attempt(email, "wrong password", clock) is None
        refused = attempt(email, "wrong password", clock)
        assert isinstance(refused, LoginRefused) and refused.scope == "account"
        assert refused.message(clock()).startswith("Too many failed log-ins for this account.")
    assert len(events("user.locked_out")) == 1  # events need an account to be about


def test_a_deactivated_account_counts_as_a_failure(app, make_user, clock) -> None:
    amina = make_user("amina@example.org")
    amina.active = False
    db.session.commit()
    assert attempt("amina@example.org", DEFAULT_PASSWORD, clock) is None
    assert failures() == 1


def test_the_address_limit_spans_accounts_and_does_not_lock_them(
        app, make_user, clock) -> None:
    make_user("amina@example.org")
    for n in range(6):
        assert attempt(f"guess{n}@example.org", "wrong password", clock) is None
    refused = attempt("amina@example.org", DEFAULT_PASSWORD, clock)
    assert isinstance(refused, LoginRefused) and refused.scope == "address"
    assert "from your network" in refused.message(clock())
    assert attempt("amina@example.org", DEFAULT_PASSWORD, clock, address="198.51.100.1")


def test_rows_out_of_every_window_are_swept(app, make_user, clock) -> None:
    for n in range(4):
        attempt(f"guess{n}@example.org", "wrong password", clock)
    clock.advance(minutes=16)
    attempt("someone@example.org", "wrong password", clock)
    assert db.session.scalars(select(LoginFailure.email)).all() == ["someone@example.org"]


def test_an_administrator_unlocks_with_a_reason(app, make_user, clock) -> None:
    boss = make_user("boss@example.org", roles=(Role.ADMIN,))
    amina = make_user("amina@example.org")
    assert unlock_account(boss, amina, LIMITS, clock(), reason="x") is False  # not locked
    for _ in range(3):
        attempt("amina@example.org", "wrong password", clock)
    assert login_locked_until("amina@example.org", LIMITS, clock()) == \
        clock() + timedelta(minutes=15)
    with pytest.raises(ValidationError, match="Say why") as refused:
        unlock_account(boss, amina, LIMITS, clock(), reason="  ")
    assert refused.value.field == "reason"
    assert unlock_account(boss, amina, LIMITS, clock(), reason="Forgot the password; reset")
    db.session.commit()
    assert login_locked_until("amina@example.org", LIMITS, clock()) is None
    [unlocked] = events("user.unlocked")
    assert unlocked.actor_id == boss.id and unlocked.subject_id == str(amina.id)
    assert unlocked.reason == "Forgot the password; reset"
    assert unlocked.details == {"failures_cleared": 3, "locked_until": (
        clock() + timedelta(minutes=15)).isoformat()}
    assert attempt("amina@example.org", DEFAULT_PASSWORD, clock) == amina.id


def test_only_administrators_unlock(app, make_user, clock) -> None:
    kim = make_user("kim@example.org", roles=(Role.INSTRUCTOR, Role.ASSESSOR))
    amina = make_user("amina@example.org")
    for _ in range(3):
        attempt("amina@example.org", "wrong password", clock)
    with pytest.raises(PermissionDenied):
        unlock_account(kim, amina, LIMITS, clock(), reason="asked nicely")
    with pytest.raises(PermissionDenied):
        unlock_account(amina, amina, LIMITS, clock(), reason="it is me")
    assert login_locked_until("amina@example.org", LIMITS, clock()) is not None
