"""Failed logins are limited per account and per address; successful ones are not."""

import os
import socket

import pytest

from app.extensions import limiter
from tests.conftest import login

# Database 15 of the local Redis: the tests wipe the rate-limit keys they find there.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(params=["memory", "redis"])
def limited_client(request, make_app, make_user):
    """The same limits counted in process memory and in Redis, as production does."""
    storage = "memory://"
    if request.param == "redis":
        if not _redis_answers():
            pytest.skip("no Redis on 127.0.0.1:6379")
        storage = REDIS_URL
    app = make_app(LOGIN_LIMIT_PER_ACCOUNT="3 per 15 minutes",
                   LOGIN_LIMIT_PER_ADDRESS="6 per 15 minutes",
                   RATELIMIT_STORAGE_URI=storage)
    limiter.reset()  # counts left in Redis by an earlier test
    with app.app_context():
        yield app.test_client()


def test_the_nth_bad_password_for_an_account_gets_429(limited_client, make_user) -> None:
    make_user("amina@example.org")
    for _ in range(3):
        assert login(limited_client, "amina@example.org", "wrong password").status_code == 200
    response = login(limited_client, "amina@example.org", "wrong password")
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.get_data(as_text=True)
    assert "Retry-After" in response.headers
    # Even the right password waits now: the lock protects the account.
    assert login(limited_client, "amina@example.org").status_code == 429


def test_the_address_limit_spans_accounts(limited_client, make_user) -> None:
    for n in range(6):
        assert login(limited_client, f"guess{n}@example.org", "wrong password").status_code == 200
    assert login(limited_client, "guess9@example.org", "wrong password").status_code == 429


def test_successful_logins_do_not_count(limited_client, make_user) -> None:
    make_user("amina@example.org")
    for _ in range(8):
        assert login(limited_client, "amina@example.org").status_code == 302
        limited_client.post("/auth/logout")
