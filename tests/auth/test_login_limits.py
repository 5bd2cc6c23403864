"""The log-in page under its limits: failed log-ins are counted in the database, per account
and per address; successful ones are not counted. That every worker sees the same count is
shown by tests/auth/test_workers.py, with a real gunicorn."""

import re

import pytest
from sqlalchemy import select

import app.auth.lockout as lockout
from app.extensions import db
from app.records.models import Event
from tests.conftest import login

LIMITS = {"LOGIN_LIMIT_PER_ACCOUNT": "3 per 15 minutes",
          "LOGIN_LIMIT_PER_ADDRESS": "6 per 15 minutes"}


@pytest.fixture
def limited_client(make_app):
    app = make_app(**LIMITS)
    with app.app_context():
        yield app.test_client()


def form_errors(response) -> list[str]:
    block = re.search(r'<div class="form-errors" role="alert">(.*?)</div>',
                      response.get_data(as_text=True), re.S)
    return re.findall(r"<p>(.*?)</p>", block.group(1)) if block else []


def test_the_nth_bad_password_is_refused_on_the_form_with_when_to_retry(
        limited_client, make_user, clock) -> None:
    make_user("amina@example.org")
    for _ in range(3):
        response = login(limited_client, "amina@example.org", "wrong password")
        assert response.status_code == 200
        assert form_errors(response) == ["The e-mail address or password is not right."]
    clock.advance(minutes=3)
    response = login(limited_client, "amina@example.org", "wrong password")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(12 * 60)
    [message] = form_errors(response)
    assert message.startswith("Too many failed log-ins for this account.")
    assert "try again in 12 minutes, or ask an administrator to unlock it" in message
    assert 'name="email"' in response.get_data(as_text=True)  # the form, to try again later
    # Even the right password waits now: the lock protects the account.
    assert login(limited_client, "amina@example.org").status_code == 429


def test_the_lock_lifts_when_the_window_has_passed(limited_client, make_user, clock) -> None:
    make_user("amina@example.org")
    for _ in range(3):
        login(limited_client, "amina@example.org", "wrong password")
    clock.advance(minutes=14, seconds=59)
    assert login(limited_client, "amina@example.org").status_code == 429
    clock.advance(seconds=1)
    assert login(limited_client, "amina@example.org").status_code == 302


def test_an_unknown_address_gets_the_same_answers(limited_client, make_user) -> None:
    make_user("amina@example.org")
    answers = {}
    for email in ("amina@example.org", "nobody@example.org"):
        answers[email] = [(response.status_code, form_errors(response)) for response in
                          (login(limited_client, email, "wrong password") for _ in range(4))]
    assert answers["amina@example.org"] == answers["nobody@example.org"]


def test_an_unknown_address_costs_one_password_check_as_an_account_does(
        limited_client, make_user, monkeypatch) -> None:
    """The time a log-in takes is the argon2id check's: one for a known account, one (against
    a dummy hash) for an unknown address."""
    hashes_checked: list[str | None] = []
    verify = lockout.verify_password

    def counting(stored_hash: str | None, password: str) -> tuple[bool, bool]:
        hashes_checked.append(stored_hash)
        return verify(stored_hash, password)

    monkeypatch.setattr(lockout, "verify_password", counting)
    make_user("amina@example.org")
    login(limited_client, "amina@example.org", "wrong password")
    login(limited_client, "nobody@example.org", "wrong password")
    assert len(hashes_checked) == 2 and hashes_checked[1] is None


def test_the_lock_out_is_an_audit_event(limited_client, make_user) -> None:
    amina = make_user("amina@example.org")
    for _ in range(5):
        login(limited_client, "amina@example.org", "wrong password")
    [event] = db.session.scalars(select(Event).where(Event.action == "user.locked_out")).all()
    assert event.subject_id == str(amina.id)


def test_the_address_limit_spans_accounts(limited_client, make_user) -> None:
    for n in range(6):
        assert login(limited_client, f"guess{n}@example.org", "wrong password").status_code == 200
    response = login(limited_client, "guess9@example.org", "wrong password")
    assert response.status_code == 429
    assert "Too many failed log-ins from your network" in form_errors(response)[0]


def test_successful_logins_do_not_count(limited_client, make_user) -> None:
    make_user("amina@example.org")
    for _ in range(8):
        assert login(limited_client, "amina@example.org").status_code == 302
        limited_client.post("/auth/logout")


def test_a_success_forgives_the_failures_before_it(limited_client, make_user) -> None:
    make_user("amina@example.org")
    for _ in range(2):
        login(limited_client, "amina@example.org", "wrong password")
    assert login(limited_client, "amina@example.org").status_code == 302
    limited_client.post("/auth/logout")
    for _ in range(3):
        assert login(limited_client, "amina@example.org", "wrong password").status_code == 200
    assert login(limited_client, "amina@example.org", "wrong password").status_code == 429
