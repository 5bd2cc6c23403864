"""A quality reviewer signs a learner's training record in the browser; the learner sees the
signature on their own record; the administrator reads the audit log."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.auth.services import Profile, create_account
from app.core.roles import Role
from app.extensions import db
from tests.e2e.pages import follow, log_in, log_out, screenshot

pytestmark = pytest.mark.e2e
PASSWORD = "a long enough passphrase"


def test_review_signature_journey(page, live_server, live_app) -> None:
    with live_app.app_context():
        now = live_app.config["CLOCK"]()
        amina = create_account(email="amina@example.org", password=PASSWORD,
                               profile=Profile("Amina Yusuf", "NG", "Biovaccines Nigeria"),
                               now=now)
        create_account(email="qa@example.org", password=PASSWORD,
                       profile=Profile("Grace Mensah", "GH"), roles=[Role.ADMIN], now=now)
        db.session.commit()
        amina_id = amina.id

    log_in(page, live_server, "qa@example.org")
    page.goto(f"{live_server}/records/learners/{amina_id}")
    page.get_by_label("Your password").fill("wrong password")
    page.get_by_label("I understand").check()
    follow(page, page.get_by_role("button", name="Sign"))
    expect(page.get_by_text("The password is not right: nothing was signed.")).to_be_visible()
    screenshot(page, "07-record-sign-refused")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand").check()
    follow(page, page.get_by_role("button", name="Sign"))
    expect(page.get_by_text("Your review signature is recorded.")).to_be_visible()
    expect(page.get_by_text("Signed by Grace Mensah on")).to_be_visible()

    follow(page, page.get_by_role("link", name="Audit events"))
    page.get_by_label("Action").select_option("signature.refused")
    follow(page, page.get_by_role("button", name="Filter"))
    expect(page.locator("tbody tr")).to_have_count(1)
    page.get_by_label("Action").select_option("")
    follow(page, page.get_by_role("button", name="Filter"))
    screenshot(page, "08-audit-events")
    log_out(page)

    log_in(page, live_server, "amina@example.org")
    main_nav = page.get_by_role("navigation", name="Main")
    follow(page, main_nav.get_by_role("link", name="My training record"))
    expect(page.get_by_text("Signed by Grace Mensah on")).to_be_visible()
    expect(page.get_by_role("button", name="Sign")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    screenshot(page, "09-my-training-record")
