"""Failed logins are limited per account and per address; successful ones are not."""

import pytest

from tests.conftest import login


@pytest.fixture
def limited_client(make_app, make_user):
    app = make_app(LOGIN_LIMIT_PER_ACCOUNT="3 per 15 minutes",
                   LOGIN_LIMIT_PER_ADDRESS="6 per 15 minutes")
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
