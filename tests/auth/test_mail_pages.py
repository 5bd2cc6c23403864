"""The account pages reached through e-mail: "Forgot your password?", the reset page, the
confirmation of an address, and the administrator's reset link."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.auth.models import User
from app.auth.services import authenticate
from app.core.roles import Role
from app.extensions import db
from tests.auth.outbox import outbox
from tests.conftest import DEFAULT_PASSWORD, login

NEW = "a river of slow green tea"
GOOD = {"name": "Amina Yusuf", "email": "amina@example.org", "password": DEFAULT_PASSWORD,
        "country": "NG", "organisation": "Biovaccines Nigeria"}


def _field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', html, re.S)
    assert match, f"no error shown next to {field}"
    return match.group(1)


def _check_page(client) -> str:
    """The "check your e-mail" page, its CSRF tokens (signed anew now and then) left out."""
    html = client.get("/auth/check-email").get_data(as_text=True)
    return re.sub(r'name="csrf_token"[^>]*>', "", html)


def test_the_log_in_page_offers_forgot_your_password(client) -> None:
    html = client.get("/auth/login").get_data(as_text=True)
    assert 'href="/auth/forgot"' in html and "Forgot your password?" in html


def test_forgot_answers_the_same_with_or_without_an_account(client, make_user) -> None:
    make_user("amina@example.org")
    answers = []
    for address in ("amina@example.org", "nobody@example.org"):
        response = client.post("/auth/forgot", data={"email": address})
        assert response.status_code == 302 and response.location == "/auth/check-email"
        answers.append(_check_page(client).replace(address, "ADDRESS"))
    assert answers[0] == answers[1] and "Check your e-mail" in answers[0]
    assert [mail.to for mail in outbox()] == ["amina@example.org"]


def test_forgot_shows_a_bad_address_next_to_its_field(client) -> None:
    response = client.post("/auth/forgot", data={"email": "amina@@example"})
    assert response.status_code == 200
    assert "valid e-mail" in _field_error(response.get_data(as_text=True), "email")


def test_forgot_is_limited_per_address_asked_about(make_app, make_user) -> None:
    client = make_app(PASSWORD_RESET_LIMIT_PER_ACCOUNT="2 per hour").test_client()
    for _ in range(2):
        assert client.post("/auth/forgot", data={"email": "nobody@example.org"}
                           ).status_code == 302
    assert client.post("/auth/forgot", data={"email": "Nobody@example.org"}
                       ).status_code == 429
    assert client.post("/auth/forgot", data={"email": "other@example.org"}).status_code == 302


def test_forgot_is_limited_per_client(make_app) -> None:
    client = make_app(PASSWORD_RESET_LIMIT_PER_ADDRESS="2 per hour").test_client()
    for n in range(2):
        assert client.post("/auth/forgot", data={"email": f"n{n}@example.org"}
                           ).status_code == 302
    assert client.post("/auth/forgot", data={"email": "n9@example.org"}).status_code == 429


def _reset_link(client, make_user) -> str:
    make_user("amina@example.org", name="Amina Yusuf")
    client.post("/auth/forgot", data={"email": "amina@example.org"})
    return outbox()[-1].path


def test_the_reset_page_sets_the_password_and_the_link_then_says_it_was_used(
        client, make_user) -> None:
    path = _reset_link(client, make_user)
    page = client.get(path)
    assert page.status_code == 200 and "no-store" in page.headers["Cache-Control"]
    assert 'name="new_password"' in page.get_data(as_text=True)
    response = client.post(path, data={"new_password": NEW, "confirm_password": NEW})
    assert response.status_code == 302
    assert response.location == "/auth/login?email=amina@example.org"
    html = client.get(response.location).get_data(as_text=True)
    assert "Your new password is set" in html and 'value="amina@example.org"' in html
    assert authenticate("amina@example.org", NEW) is not None
    for again in (client.get(path), client.post(path, data={"new_password": NEW,
                                                            "confirm_password": NEW})):
        html = again.get_data(as_text=True)
        assert "has been used already" in html and 'href="/auth/forgot"' in html


def test_the_reset_page_shows_each_error_next_to_its_field(client, make_user) -> None:
    path = _reset_link(client, make_user)
    html = client.post(path, data={"new_password": "short", "confirm_password": "short"}
                       ).get_data(as_text=True)
    assert "at least 10 characters" in _field_error(html, "new_password")
    html = client.post(path, data={"new_password": NEW, "confirm_password": NEW + "!"}
                       ).get_data(as_text=True)
    assert "not the same" in _field_error(html, "confirm_password")
    html = client.post(path, data={"new_password": "", "confirm_password": ""}
                       ).get_data(as_text=True)
    assert "Choose a new password" in _field_error(html, "new_password")
    assert authenticate("amina@example.org", DEFAULT_PASSWORD) is not None


def test_an_expired_or_unknown_link_says_so_and_offers_a_new_one(client, make_user,
                                                                 clock) -> None:
    path = _reset_link(client, make_user)
    clock.advance(hours=1, seconds=1)
    html = client.get(path).get_data(as_text=True)
    assert "This link has expired." in html and 'href="/auth/forgot"' in html
    html = client.get("/auth/reset/not-a-token").get_data(as_text=True)
    assert "not one TrainHub sent" in html


def test_the_reset_logs_out_every_browser_of_the_account(make_app, make_user) -> None:
    make_user("amina@example.org")
    web = make_app()  # no app context kept across its requests, as in a real server
    other = web.test_client()
    login(other, "amina@example.org")
    assert other.get("/auth/profile").status_code == 200
    client = web.test_client()
    client.post("/auth/forgot", data={"email": "amina@example.org"})
    client.post(outbox()[-1].path, data={"new_password": NEW, "confirm_password": NEW})
    assert other.get("/auth/profile").status_code == 302


def test_registration_with_confirmation_keeps_the_account_out_until_the_link(
        app, make_app) -> None:
    client = make_app(REQUIRE_EMAIL_VERIFICATION=True).test_client()
    response = client.post("/auth/register", data=GOOD)
    assert response.status_code == 302 and response.location == "/auth/check-email"
    assert "finish creating your account" in _check_page(client)
    html = login(client, "amina@example.org").get_data(as_text=True)
    assert "not confirmed yet" in html
    assert 'href="/auth/confirm-again?email=amina@example.org"' in html
    [mail] = outbox()
    assert client.get(mail.path).status_code == 200  # a GET confirms nothing
    assert "not confirmed yet" in login(client, "amina@example.org").get_data(as_text=True)
    response = client.post(mail.path)
    assert response.status_code == 302 and response.location == "/auth/login"
    assert login(client, "amina@example.org").status_code == 302
    assert client.get("/auth/profile").status_code == 200


def test_a_wrong_password_does_not_tell_that_the_account_is_unconfirmed(make_app) -> None:
    client = make_app(REQUIRE_EMAIL_VERIFICATION=True).test_client()
    client.post("/auth/register", data=GOOD)
    html = login(client, "amina@example.org", "wrong password here").get_data(as_text=True)
    assert "not confirmed" not in html and "is not right" in html


def test_registering_a_taken_address_answers_as_a_new_one(make_app, make_user) -> None:
    client = make_app(REQUIRE_EMAIL_VERIFICATION=True).test_client()
    make_user("kim@example.org")
    answers = []
    for address in ("amina@example.org", "kim@example.org"):
        response = client.post("/auth/register", data={**GOOD, "email": address})
        assert response.status_code == 302 and response.location == "/auth/check-email"
        answers.append(_check_page(client).replace(address, "ADDRESS"))
    assert answers[0] == answers[1]
    assert [(m.to, m.kind) for m in outbox()] == [
        ("amina@example.org", "account.verify_email"),
        ("kim@example.org", "account.password_reset")]
    assert db.session.scalar(select(func.count(User.id))) == 2


def test_asking_for_the_confirmation_link_again(app, make_app) -> None:
    client = make_app(REQUIRE_EMAIL_VERIFICATION=True).test_client()
    client.post("/auth/register", data=GOOD)
    for address in ("amina@example.org", "nobody@example.org"):
        response = client.post("/auth/confirm-again", data={"email": address})
        assert response.status_code == 302
    assert [m.to for m in outbox()] == ["amina@example.org"] * 2


def test_only_an_administrator_sends_a_reset_link_from_the_user_page(client, make_user
                                                                     ) -> None:
    amina = make_user("amina@example.org")
    make_user("grace@example.org", roles=(Role.ADMIN,))
    make_user("ivan@example.org", roles=(Role.INSTRUCTOR, Role.ASSESSOR))
    path = f"/admin/users/{amina.id}/reset-link"
    assert client.post(path).status_code == 302  # anonymous: to the log-in page
    login(client, "ivan@example.org")
    assert client.post(path).status_code == 403
    assert outbox() == []
    client.post("/auth/logout")
    login(client, "grace@example.org")
    page = client.get(f"/admin/users/{amina.id}").get_data(as_text=True)
    assert f'action="{path}"' in page and "Send a reset link" in page
    response = client.post(path)
    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "on its way to amina@example.org" in html
    [mail] = outbox()
    assert mail.to == "amina@example.org" and "administrator" in mail.text
    assert client.post("/admin/users/9999/reset-link").status_code == 404


def test_the_admin_reset_link_form_needs_its_csrf_token(make_app, make_user) -> None:
    amina = make_user("amina@example.org")
    make_user("grace@example.org", roles=(Role.ADMIN,))
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page)
    assert token
    client.post("/auth/login", data={"email": "grace@example.org",
                                     "password": DEFAULT_PASSWORD,
                                     "csrf_token": token.group(1)})
    assert client.post(f"/admin/users/{amina.id}/reset-link").status_code == 400
    assert outbox() == []


def test_registering_is_limited_per_address_when_it_answers_check_your_email(
        app, make_app, make_user) -> None:
    """Each registration with a taken address mails its owner: it counts as a request."""
    make_user("kim@example.org")
    client = make_app(PASSWORD_RESET_LIMIT_PER_ACCOUNT="2 per hour").test_client()
    assert client.post("/auth/register", data={**GOOD, "email": "kim@example.org",
                                               "password": "short"}).status_code == 200
    for _ in range(2):
        assert client.post("/auth/register", data={**GOOD, "email": "kim@example.org"}
                           ).status_code == 302
    assert client.post("/auth/register", data={**GOOD, "email": "kim@example.org"}
                       ).status_code == 429
    assert len(outbox()) == 2
