"""A trainee who forgot their password resets it from the log-in page, in a real browser
against the real server, with the mail delivered by the outbox to a real SMTP server
(aiosmtpd) and read from there: request, read the mail, follow the link, set a password,
log in with it, and the same link refused the second time."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from app.auth.services import Profile, create_account
from app.extensions import db
from app.mail.outbox import send_due
from tests.conftest import smtp_settings
from tests.e2e.pages import assert_accessible, follow, log_in, screenshot

pytestmark = pytest.mark.e2e

NEW = "a river of slow green tea"
LINK = re.compile(r"https?://\S+/auth/reset/[A-Za-z0-9_\-]+")


@pytest.fixture
def amina(live_app) -> None:
    with live_app.app_context():
        create_account(email="amina@example.org", password="the old forgotten phrase",
                       profile=Profile(name="Amina Yusuf", country="NG"),
                       now=datetime.now(UTC))
        db.session.commit()


def test_a_forgotten_password_is_reset_through_the_mailed_link(
        page, live_server, amina, make_app, smtp_server) -> None:
    page.goto(live_server + "/auth/login")
    follow(page, page.get_by_role("link", name="Forgot your password?"))
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("E-mail address").fill("amina@example.org")
    follow(page, page.get_by_role("button", name="Send me a link"))
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    screenshot(page, "90-reset-check-email")

    # The worker's turn: the outbox goes to the SMTP server, where the mail is read.
    sender = make_app(**smtp_settings(smtp_server))
    with sender.app_context():
        assert send_due(datetime.now(UTC)).sent == 1
    [received] = smtp_server.messages
    assert received.recipients == ("amina@example.org",)
    mail = received.parsed()
    text = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert text is not None and html is not None
    [link] = set(LINK.findall(text.get_content()))
    assert link in html.get_content() and link.startswith(live_server)

    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("New password again").fill(NEW + " typo")
    follow(page, page.get_by_role("button", name="Set my new password"))
    expect(page.locator("#confirm_password-error")).to_contain_text("not the same")
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("New password again").fill(NEW)
    follow(page, page.get_by_role("button", name="Set my new password"))
    expect(page.get_by_text("Your new password is set")).to_be_visible()
    screenshot(page, "91-reset-done")

    log_in(page, live_server, "amina@example.org", NEW)
    expect(page.get_by_role("heading", name="Welcome, Amina Yusuf")).to_be_visible()

    page.goto(link)
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    expect(page.get_by_text("This link has been used already")).to_be_visible()
    expect(page.get_by_role("link", name="Ask for a new link to choose a password")
           ).to_be_visible()
    assert_accessible(page)
    screenshot(page, "92-reset-link-used")
