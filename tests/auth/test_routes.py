"""Account pages through the test client."""

import re

from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from tests.conftest import DEFAULT_PASSWORD, login

GOOD = {"name": "Amina Yusuf", "email": "amina@example.org", "password": DEFAULT_PASSWORD,
        "country": "NG", "organisation": "Biovaccines Nigeria"}


def _user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User)) or 0


def _field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', html, re.S)
    assert match, f"no error shown next to {field}"
    return match.group(1)


def test_register_page_offers_iso_countries(client) -> None:
    html = client.get("/auth/register").get_data(as_text=True)
    for name in ('name="email"', 'name="password"', 'name="name"', 'name="country"',
                 'name="organisation"'):
        assert name in html
    assert '<option value="KR">' in html and '<option value="NG">Nigeria</option>' in html
    assert html.count("<option") > 240


def test_register_logs_the_new_learner_in(client) -> None:
    response = client.post("/auth/register", data=GOOD)
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Welcome, Amina Yusuf" in page and "Learner" in page
    assert _user_count() == 1


def test_register_goes_back_where_the_visitor_came_from(client) -> None:
    """From "Log in or create an account to apply" on a call, back to the call."""
    login_page = client.get("/auth/login?next=/calls/7").get_data(as_text=True)
    assert 'href="/auth/register?next=/calls/7"' in login_page
    register_page = client.get("/auth/register?next=/calls/7").get_data(as_text=True)
    assert 'href="/auth/login?next=/calls/7"' in register_page
    response = client.post("/auth/register?next=/calls/7", data=GOOD)
    assert response.status_code == 302 and response.location == "/calls/7"
    elsewhere = client.post("/auth/logout")
    assert elsewhere.status_code == 302
    outside = client.post("/auth/register?next=https://evil.example/",
                          data={**GOOD, "email": "kim@example.org"})
    assert outside.location == "/"


def test_register_with_a_taken_email_answers_as_for_a_new_one(client, make_user) -> None:
    """Registration never says that an address has an account: it answers "check your
    e-mail" (its owner gets a message instead), and creates nothing."""
    make_user("amina@example.org")
    response = client.post("/auth/register", data={**GOOD, "email": "Amina@Example.org"})
    assert response.status_code == 302 and response.location == "/auth/check-email"
    html = client.get("/auth/check-email").get_data(as_text=True)
    assert "Check your e-mail" in html and "exists" not in html
    assert _user_count() == 1


def test_register_weak_password_message_next_to_field(client) -> None:
    response = client.post("/auth/register", data={**GOOD, "password": "short"})
    html = response.get_data(as_text=True)
    assert "at least 10 characters" in _field_error(html, "password")
    assert 'aria-invalid="true"' in html
    assert _user_count() == 0


def test_register_refuses_a_common_password_and_says_why_next_to_the_field(client) -> None:
    for password, why in (("Password123!", "similar to a commonly used password"),
                          ("qwertyuiop123", "a very common password"),
                          ("Yusuf2026!!", "from your name, your e-mail address")):
        response = client.post("/auth/register", data={**GOOD, "password": password})
        assert response.status_code == 200
        assert why in _field_error(response.get_data(as_text=True), "password"), password
    assert _user_count() == 0


def test_register_bad_email_message_next_to_field(client) -> None:
    response = client.post("/auth/register", data={**GOOD, "email": "amina@@example"})
    assert "valid e-mail" in _field_error(response.get_data(as_text=True), "email")
    assert _user_count() == 0


def test_register_reports_every_problem_in_one_answer(client, make_user) -> None:
    """A missing country used to hide the other problems: every field's problem is shown
    together, each next to its field; a taken address is none of them (that would tell)."""
    make_user("amina@example.org")
    response = client.post("/auth/register", data={**GOOD, "email": "Amina@Example.org",
                                                   "password": "short", "country": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "exists" not in html and 'id="email-error"' not in html
    assert "at least 10 characters" in _field_error(html, "password")
    assert "Choose your country" in _field_error(html, "country")
    assert html.count('aria-invalid="true"') == 2
    assert _user_count() == 1
    response = client.post("/auth/register", data={**GOOD, "email": "amina@@example",
                                                   "name": "", "password": "short"})
    html = response.get_data(as_text=True)
    assert "like name@example.org" in _field_error(html, "email")
    assert "Enter your name" in _field_error(html, "name")
    assert "at least 10 characters" in _field_error(html, "password")
    assert "@-sign" not in html and "valid e-mail address (" not in html
    assert _user_count() == 1


def test_register_keeps_what_was_typed_except_the_password(client) -> None:
    html = client.post("/auth/register", data={**GOOD, "password": "short"}).get_data(as_text=True)
    assert 'value="amina@example.org"' in html and 'value="Biovaccines Nigeria"' in html
    assert DEFAULT_PASSWORD not in html and 'value="short"' not in html


def test_register_missing_country(client) -> None:
    response = client.post("/auth/register", data={**GOOD, "country": ""})
    assert "Choose your country" in _field_error(response.get_data(as_text=True), "country")
    assert _user_count() == 0


def test_login_and_logout(client, make_user) -> None:
    make_user("amina@example.org", name="Amina Yusuf")
    response = login(client, "AMINA@example.org")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Welcome, Amina Yusuf" in client.get("/").get_data(as_text=True)
    response = client.post("/auth/logout")
    assert response.status_code == 302
    assert "Log in" in client.get("/").get_data(as_text=True)
    assert client.get("/auth/profile").status_code == 302


def test_wrong_password_says_so_without_telling_which(client, make_user) -> None:
    make_user("amina@example.org")
    wrong = login(client, "amina@example.org", "not the password").get_data(as_text=True)
    unknown = login(client, "nobody@example.org").get_data(as_text=True)
    message = "The e-mail address or password is not right."
    assert message in wrong and message in unknown


def test_logout_invalidates_the_old_cookie(client, make_user) -> None:
    make_user("amina@example.org")
    login(client, "amina@example.org")
    stolen = client.get_cookie("session")
    assert stolen is not None
    client.post("/auth/logout")
    client.set_cookie("session", stolen.value)  # replay the cookie from before logout
    assert client.get("/auth/profile").status_code == 302


def test_session_is_rotated_at_login(client, make_user) -> None:
    make_user("amina@example.org")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, "amina@example.org")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_login_follows_only_local_next(client, make_user) -> None:
    make_user("amina@example.org")
    data = {"email": "amina@example.org", "password": DEFAULT_PASSWORD}
    assert client.post("/auth/login?next=/auth/profile", data=data).headers["Location"] \
        == "/auth/profile"
    client.post("/auth/logout")
    assert client.post("/auth/login?next=//evil.example/x", data=data).headers["Location"] == "/"


def test_inactive_account_cannot_log_in(client, make_user) -> None:
    user = make_user("amina@example.org")
    user.active = False
    db.session.commit()
    assert login(client, "amina@example.org").status_code == 200


def test_profile_edit(client, make_user) -> None:
    user = make_user("amina@example.org")
    login(client, "amina@example.org")
    page = client.get("/auth/profile").get_data(as_text=True)
    assert 'name="timezone"' in page and "Asia/Seoul" in page
    response = client.post("/auth/profile", data={"name": "Amina Y.", "country": "KR",
                                                  "organisation": "GTH-B",
                                                  "timezone": "Asia/Seoul"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.name, user.country, user.timezone) == ("Amina Y.", "KR", "Asia/Seoul")
    bad = client.post("/auth/profile", data={"name": "", "country": "KR", "timezone": "UTC"})
    assert "Enter your name" in _field_error(bad.get_data(as_text=True), "name")


def test_change_password_page(client, make_user) -> None:
    make_user("amina@example.org")
    login(client, "amina@example.org")
    bad = client.post("/auth/password", data={"current_password": "wrong one here",
                                              "new_password": "a brand new passphrase"})
    assert "not your current password" in _field_error(bad.get_data(as_text=True),
                                                        "current_password")
    common = client.post("/auth/password", data={"current_password": DEFAULT_PASSWORD,
                                                 "new_password": "qwertyuiop123"})
    assert "a very common password" in _field_error(common.get_data(as_text=True),
                                                    "new_password")
    ok = client.post("/auth/password", data={"current_password": DEFAULT_PASSWORD,
                                             "new_password": "a brand new passphrase"})
    assert ok.status_code == 302
    client.post("/auth/logout")
    assert login(client, "amina@example.org", "a brand new passphrase").status_code == 302


def test_pages_that_need_login_redirect_to_it(client) -> None:
    for url in ("/auth/profile", "/auth/password", "/auth/logout", "/admin/users"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login?next=")


def test_register_gives_the_zone_of_a_country_that_has_one(client) -> None:
    assert client.post("/auth/register", data={**GOOD, "country": "KR"}).status_code == 302
    assert db.session.scalar(select(User.timezone)) == "Asia/Seoul"


def test_register_asks_which_zone_when_the_country_has_several(client) -> None:
    response = client.post("/auth/register", data={**GOOD, "country": "BR"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and _user_count() == 0
    assert _field_error(html, "timezone") == "Brazil has several time zones: choose yours."
    # Without a script, the answer lists the country's zones first, then the others.
    own = html.index('<optgroup label="Time zones of Brazil">')
    assert own < html.index('value="America/Sao_Paulo"') < html.index('<optgroup label="Africa">')
    assert html.count('value="America/Sao_Paulo"') == 1
    chosen = {**GOOD, "country": "BR", "timezone": "America/Manaus"}
    assert client.post("/auth/register", data=chosen).status_code == 302
    assert db.session.scalar(select(User.timezone)) == "America/Manaus"


def test_register_asks_the_zone_together_with_every_other_problem(client) -> None:
    html = client.post("/auth/register", data={**GOOD, "country": "US", "email": "amina@@example"}
                       ).get_data(as_text=True)
    assert _field_error(html, "timezone") and _field_error(html, "email")


def test_the_register_page_carries_each_country_s_zones_for_its_script(app, client) -> None:
    html = client.get("/auth/register").get_data(as_text=True)
    assert '<script type="application/json" id="country-zones">' in html
    assert '"KR": [["Asia/Seoul", "Seoul"]]' in html
    script = app.extensions["trainhub.static_paths"]["zones.js"]
    assert script.startswith("/static/zones.") and f'src="{script}"' in html


def test_the_profile_lists_canonical_zones_by_region_and_keeps_an_old_alias(
        client, make_user) -> None:
    user = make_user("kim@example.org", country="KR")
    user.timezone = "Asia/Calcutta"
    db.session.commit()
    login(client, "kim@example.org")
    html = client.get("/auth/profile").get_data(as_text=True)
    assert '<optgroup label="Time zones of South Korea">' in html
    assert '<optgroup label="Europe">' in html and 'value="US/Eastern"' not in html
    assert '<option selected value="Asia/Calcutta">' in html


def test_profile_chooses_the_interface_language(client, make_user) -> None:
    user = make_user("amina@example.org")
    login(client, "amina@example.org")
    page = client.get("/auth/profile").get_data(as_text=True)
    assert "Interface language" in page and '<option value="">As my browser asks</option>' \
        in page
    assert '<option lang="fr" value="fr">Français</option>' in page
    assert '<option lang="ar" value="ar">العربية</option>' in page
    data = {"name": "Amina Yusuf", "country": "NG", "organisation": "", "timezone": "UTC"}
    assert client.post("/auth/profile", data={**data, "language": "fr"}).status_code == 302
    db.session.refresh(user)
    assert user.language == "fr"
    assert '<html lang="fr" dir="ltr">' in client.get("/auth/profile").get_data(as_text=True)
    assert client.post("/auth/profile", data={**data, "language": ""}).status_code == 302
    db.session.refresh(user)
    assert user.language is None
    wrong = client.post("/auth/profile", data={**data, "language": "xx"})
    assert "Choose a language from the list" in _field_error(wrong.get_data(as_text=True),
                                                              "language")
    db.session.refresh(user)
    assert user.language is None


def test_registration_keeps_the_language_chosen_with_the_switcher(app, client) -> None:
    client.post("/auth/language", data={"language": "ko", "next": "/auth/register"})
    assert client.post("/auth/register", data=GOOD).status_code == 302
    assert db.session.scalar(select(User.language).where(User.email == GOOD["email"])) == "ko"
    other = app.test_client()  # a visitor who never chose: as their browser asks
    assert other.post("/auth/register", data={**GOOD, "email": "chloe@example.org",
                                              "name": "Chloé Dubois"}).status_code == 302
    assert db.session.scalar(select(User.language)
                             .where(User.email == "chloe@example.org")) is None
