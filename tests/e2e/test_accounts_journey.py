"""The first journey every trainee makes: register, log out, log back in; and an
administrator giving a colleague the assessor role. In a real browser, CSRF and all."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.auth.services import Profile, create_account
from app.core.roles import Role
from app.extensions import db
from tests.e2e.pages import assert_accessible, follow, log_in, log_out, screenshot

pytestmark = pytest.mark.e2e


def test_register_logout_login(page, live_server, live_app) -> None:
    page.goto(live_server + "/")
    screenshot(page, "01-home-anonymous")
    follow(page, page.get_by_role("link", name="Create account").first)

    # A mistake first: the message appears next to the field and nothing typed is lost.
    page.get_by_label("Full name").fill("Amina Yusuf")
    page.get_by_label("E-mail address").fill("amina@example.org")
    page.get_by_label("Password").fill("short")
    page.get_by_label("Country").select_option(label="Nigeria")
    page.get_by_label("Organisation").fill("Biovaccines Nigeria")
    follow(page, page.get_by_role("button", name="Create account"))
    expect(page.locator("#password-error")).to_have_text("Use at least 10 characters.")
    expect(page.get_by_label("E-mail address")).to_have_value("amina@example.org")
    screenshot(page, "02-register-error")

    # Long enough, but one of the most common passwords: refused, and the reason given.
    page.get_by_label("Password").fill("Password123!")
    follow(page, page.get_by_role("button", name="Create account"))
    expect(page.locator("#password-error")).to_contain_text(
        "similar to a commonly used password")

    page.get_by_label("Password").fill("a long enough passphrase")
    follow(page, page.get_by_role("button", name="Create account"))
    expect(page.get_by_role("heading", name="Welcome, Amina Yusuf")).to_be_visible()
    screenshot(page, "03-home-learner")

    log_out(page)

    follow(page, page.get_by_role("link", name="Log in").first)
    page.get_by_label("E-mail address").fill("amina@example.org")
    page.get_by_label("Password").fill("wrong password")
    follow(page, page.get_by_role("button", name="Log in"))
    expect(page.get_by_text("The e-mail address or password is not right.")).to_be_visible()
    screenshot(page, "04-login-error")
    page.get_by_label("Password").fill("a long enough passphrase")
    follow(page, page.get_by_role("button", name="Log in"))
    expect(page.get_by_role("heading", name="Welcome, Amina Yusuf")).to_be_visible()


@pytest.fixture
def admin_and_kim(live_app) -> None:
    """Grace, an administrator, and Kim, a learner."""
    with live_app.app_context():
        for email, name, role in (("boss@example.org", "Grace Admin", Role.ADMIN),
                                  ("kim@example.org", "Kim Min-jun", Role.LEARNER)):
            create_account(email=email, password="a long enough passphrase",
                           profile=Profile(name=name, country="KR"), roles=[role],
                           now=live_app.config["CLOCK"]())
        db.session.commit()


def test_admin_gives_a_colleague_the_assessor_role(page, live_server, admin_and_kim) -> None:
    log_in(page, live_server, "boss@example.org")
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Accounts"))
    screenshot(page, "05-admin-accounts")
    follow(page, page.get_by_role("link", name="Kim Min-jun"))
    page.get_by_label("Assessor").check()
    follow(page, page.get_by_role("button", name="Save roles"))
    expect(page.get_by_text("Roles of Kim Min-jun saved: assessor, learner.")).to_be_visible()
    screenshot(page, "06-admin-user-roles")

    # Keyboard only: the skip link is the first stop and lands on the main content.
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content", exact=True)).to_be_focused()


def test_a_locked_account_says_when_to_try_again_and_an_admin_unlocks_it(
        page, live_server, admin_and_kim) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    for _ in range(5):
        log_in(page, live_server, "kim@example.org", "not my password at all")
        expect(page.get_by_text("The e-mail address or password is not right.")).to_be_visible()
    log_in(page, live_server, "kim@example.org")  # the right password, but too late
    expect(page.get_by_text("Too many failed log-ins for this account")).to_be_visible()
    expect(page.get_by_text("try again in 15 minutes")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "04b-login-locked-phone")

    page.set_viewport_size({"width": 1100, "height": 800})
    log_in(page, live_server, "boss@example.org")
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Accounts"))
    follow(page, page.get_by_role("link", name="Kim Min-jun"))
    expect(page.get_by_role("heading", name="Unlock the account")).to_be_visible()
    assert_accessible(page)
    unlock = page.get_by_role("region", name="Unlock the account")
    unlock.get_by_label("Reason").fill("Forgot the password; reset by phone")
    follow(page, unlock.get_by_role("button", name="Unlock"))
    expect(page.get_by_role("heading", name="Unlock the account")).to_have_count(0)
    screenshot(page, "06b-admin-user-unlocked")
    log_out(page)
    log_in(page, live_server, "kim@example.org")
    expect(page.get_by_role("heading", name="Welcome, Kim Min-jun")).to_be_visible()
