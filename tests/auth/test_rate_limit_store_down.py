"""With the rate-limit store out of reach (Redis stopped, a mistyped RATELIMIT_STORAGE_URI),
logging in keeps working and the limits keep counting, in the process's memory, with one
warning in the log rather than one per request.

The log-in limits themselves never touch the store: they are counted in the database, before
the password is checked and under a lock (app/auth/lockout.py). That twenty simultaneous
wrong passwords check at most five is tested across two gunicorn workers, on SQLite and
PostgreSQL, in tests/auth/test_workers.py."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from app.auth.services import Profile, create_account
from app.config import build_config
from app.extensions import db, limiter
from tests.conftest import DEFAULT_PASSWORD, FrozenClock, login

CLOSED_PORT = "redis://127.0.0.1:1/0"
NOT_RIGHT = "The e-mail address or password is not right."


@pytest.fixture
def store_down(make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch,
               clock: FrozenClock) -> Iterator[Flask]:
    """An app whose rate-limit store is a closed port, with Amina's account. The limiter is
    the process's one extension object, bound to the app made last: so no other app here
    (`make_user` would make one), and whether it has fallen back is put back afterwards."""
    monkeypatch.setattr(limiter, "_storage_dead", False)
    app = make_app(RATELIMIT_STORAGE_URI=CLOSED_PORT)
    with app.app_context():
        create_account(email="amina@example.org", password=DEFAULT_PASSWORD,
                       profile=Profile("Amina Yusuf", "NG"), now=clock())
        db.session.commit()
        assert limiter.storage.check() is False  # the store this test means
        yield app


def limiter_warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_log_in_works_with_the_store_down(store_down, caplog) -> None:
    client = store_down.test_client()
    caplog.set_level(logging.WARNING)
    wrong = login(client, "amina@example.org", "not my password")
    assert wrong.status_code == 200 and NOT_RIGHT in wrong.get_data(as_text=True)
    right = login(client, "amina@example.org", DEFAULT_PASSWORD)
    assert right.status_code == 302
    assert client.get("/learning/dashboard").status_code == 200
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_reset_request_answers_and_its_limit_still_counts(store_down, caplog) -> None:
    client = store_down.test_client()
    caplog.set_level(logging.WARNING)
    answers = [client.post("/auth/forgot", data={"email": "amina@example.org"}).status_code
               for _ in range(4)]
    # "3 per hour" per address asked about, counted in memory while the store is away.
    assert answers == [302, 302, 302, 429]
    [warning] = limiter_warnings(caplog)
    assert warning.name == "flask-limiter" and "unreachable" in warning.getMessage()


def test_registering_answers_and_counts_against_the_address(store_down, caplog) -> None:
    """Registration counts an answer that mails the address after the view (a conditional
    deduction, outside the limit check): in memory too while the store is away."""
    client = store_down.test_client()
    caplog.set_level(logging.WARNING)
    taken = {"name": "Someone", "email": "amina@example.org", "password": DEFAULT_PASSWORD,
             "country": "NG", "organisation": ""}
    answers = [client.post("/auth/register", data=taken) for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [302, 302, 302]
    assert {a.location for a in answers[:3]} == {"/auth/check-email"}
    assert answers[3].status_code == 429
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_hundred_limited_requests_log_one_warning(store_down, caplog, monkeypatch) -> None:
    """Even when the store answers its health check between failures (a Redis that accepts
    connections but fails every command), each failure a new fall back: one warning."""
    client = store_down.test_client()
    # Checked again on every request (not only after 1, 2, 4... s) and said to be back each
    # time, it fails at once again: the limiter warns that it falls back, every request.
    turns = iter(range(10_000))
    monkeypatch.setattr(limiter, "_Limiter__should_check_backend",
                        lambda: next(turns) % 2 == 0)
    monkeypatch.setattr(limiter.storage, "check", lambda: True)
    caplog.set_level(logging.INFO)
    statuses = {client.get("/certificates/verify/NO-SUCH-CODE").status_code
                for _ in range(100)}
    assert statuses <= {404, 429}  # answered: not found, or limited (30 per minute)
    assert len(limiter_warnings(caplog)) == 1


def test_the_store_is_given_up_on_quickly(tmp_path: Path) -> None:
    """An address that never answers (a firewall dropping packets) holds no request long."""
    config = build_config(tmp_path, {},
                          {"SECRET_KEY": "x", "RECORDS_KEY": "k" * 32,
                           "RATELIMIT_STORAGE_URI": "redis://10.255.255.1:6379/0"})
    assert config["RATELIMIT_STORAGE_OPTIONS"] == {"socket_connect_timeout": 0.5,
                                                   "socket_timeout": 0.5}
    assert config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] is True
    assert config["RATELIMIT_SWALLOW_ERRORS"] is True
