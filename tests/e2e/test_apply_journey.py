"""An applicant applies to a published call in a real browser against the real server: from
the call's page they create an account, come back to the call, fill in the form with its
autosave (a reload keeps every answer), upload two PDFs, watch the checklist empty and the
eligibility verdict appear, hand the application in and see its status; the confirmation
reaches a real SMTP server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.auth.services import Profile, create_account
from app.calls.models import Call
from app.centres.models import CentreRole
from app.centres.services import ensure_hub
from app.extensions import db
from app.mail.outbox import send_due
from tests.calls.world import ELIGIBILITY, FORM, RUBRIC, pdf_bytes
from tests.conftest import smtp_settings
from tests.e2e.pages import PASSWORD, assert_accessible, follow, log_in, log_out, pictured

pytestmark = pytest.mark.e2e

MOTIVATION = ("Our plant in Lagos is starting a fill and finish line for mRNA vaccines and I "
              "lead its production team.")


@pytest.fixture
def open_call(live_app) -> int:
    """A published call open for a month (the server's clock is the real one)."""
    now = datetime.now(UTC)
    with live_app.app_context():
        hub = ensure_hub(now)
        call = Call(centre_id=hub.id, kind="trainee", code="IBDM-E2E",
                    title="Call for applications: IBDM 2027", description="",
                    description_html="", opens_at=now - timedelta(days=1),
                    closes_at=now + timedelta(days=30), timezone="Asia/Seoul", places=4,
                    languages=["en"], eligibility=dict(ELIGIBILITY),
                    form=[dict(f) for f in FORM], rubric=[dict(c) for c in RUBRIC],
                    quotas={"country_max": 2}, asks_travel_details=True, status="published",
                    published_at=now, created_at=now)
        db.session.add(call)
        officer = create_account(email="pat@example.org", password=PASSWORD,
                                 profile=Profile(name="Pat Officer", country="KR",
                                                 timezone="Asia/Seoul"), now=now)
        db.session.add(CentreRole(centre_id=hub.id, user_id=officer.id,
                                  role="programme_officer", assigned_at=now))
        db.session.commit()
        return call.id


def _saved(page: Page) -> None:
    expect(page.locator("#application-form")).to_have_attribute("data-save-state", "saved")


def _register(page: Page) -> None:
    follow(page, page.get_by_role("link", name="Log in or create an account to apply").first)
    follow(page, page.get_by_role("link", name="Create an account"))
    page.get_by_label("Full name").fill("Chiamaka Obi")
    page.get_by_label("E-mail address").fill("chiamaka@example.org")
    page.get_by_label("Password").fill("a long enough passphrase")
    page.get_by_label("Country").select_option(label="Nigeria")
    page.get_by_label("Organisation").fill("Lagos Biologics")
    follow(page, page.get_by_role("button", name="Create account"))
    # Back on the call's page, signed in.
    expect(page.get_by_text("Your account is ready")).to_be_visible()
    follow(page, page.get_by_role("link", name="Apply", exact=True).first)


def test_an_applicant_applies_from_the_call_to_the_status(
        page: Page, live_server: str, open_call: int, make_app, smtp_server,
        tmp_path: Path) -> None:
    page.goto(f"{live_server}/calls/{open_call}")
    _register(page)
    follow(page, page.get_by_role("button", name="Start my application"))
    expect(page.get_by_role("heading", name="Call for applications: IBDM 2027")).to_be_visible()
    expect(page.locator("#nationality")).to_have_value("NG")  # from the profile
    expect(page.locator("#organisation")).to_have_value("Lagos Biologics")
    expect(page.locator("#missing-list")).to_contain_text("CV (PDF)")
    assert_accessible(page)

    page.get_by_label("Manufacturer").check()
    page.locator("#experience_years").fill("7")
    page.get_by_label("Current job title").fill("Production lead")
    page.get_by_label("Why do you want this training?").fill(MOTIVATION)
    expect(page.locator("#q-motivation-count")).to_have_text("Words: 20 (5 to 300).")
    page.get_by_label("mRNA vaccines").check()
    page.get_by_label("Name as written in the passport").fill("OBI CHIAMAKA")
    page.get_by_label("Passport number").fill("A07654321")
    page.get_by_label("Passport expiry date").fill("2031-01-31")
    page.get_by_label("Date of birth").fill("1990-02-14")
    page.get_by_label("Nationality in the passport").select_option("NG")
    _saved(page)
    expect(page.locator(".eligibility-yes")).to_be_visible()

    page.reload()  # the autosave kept every answer
    expect(page.get_by_label("Current job title")).to_have_value("Production lead")
    expect(page.get_by_label("Why do you want this training?")).to_have_value(MOTIVATION)
    expect(page.get_by_label("mRNA vaccines")).to_be_checked()
    expect(page.get_by_label("Passport number")).to_have_value("A07654321")

    # A save that never reaches the server: what was typed is kept on this device, and the
    # next load puts it back and saves it.
    page.route("**/save", lambda route: route.abort())
    page.get_by_label("Current job title").fill("Head of production")
    expect(page.locator("#save-status")).to_contain_text("no connection")
    page.unroute("**/save")
    page.reload()
    expect(page.get_by_label("Current job title")).to_have_value("Head of production")
    expect(page.locator("#save-status")).to_contain_text("is back")
    _saved(page)
    page.reload()
    expect(page.get_by_label("Current job title")).to_have_value("Head of production")

    for key, name in (("cv", "chiamaka-cv.pdf"), ("endorsement", "endorsement.pdf")):
        path = tmp_path / name
        path.write_bytes(pdf_bytes(2))
        page.locator(f"#q-{key}").set_input_files(str(path))
        expect(page.locator(f"#q-{key}-stored")).to_contain_text(name)
    expect(page.locator("#checklist-done")).to_be_visible()
    pictured(page, "apply-01-form", "apply-02-form-phone")

    follow(page, page.get_by_role("button", name="Hand in my application"))
    expect(page.get_by_role("heading", name="Status: Submitted")).to_be_visible()
    expect(page.locator(".status-track [aria-current=step]")).to_have_text("Submitted")
    expect(page.get_by_text("A confirmation is on its way")).to_be_visible()
    assert_accessible(page)
    pictured(page, "apply-03-status", "apply-04-status-phone")

    sender = make_app(**smtp_settings(smtp_server))
    with sender.app_context():
        assert send_due(datetime.now(UTC)).sent == 1
    [received] = smtp_server.messages
    assert received.recipients == ("chiamaka@example.org",)
    mail = received.parsed()
    assert "Application received: Call for applications: IBDM 2027" in mail["Subject"]
    text = mail.get_body(("plain",))
    assert text is not None and "/applications/" in text.get_content()
    assert "A07654321" not in text.get_content()

    # The call's programme officer finds it among the call's applications.
    log_out(page)
    log_in(page, live_server, "pat@example.org")
    page.goto(f"{live_server}/applications/call/{open_call}?eligible=yes")
    follow(page, page.get_by_role("link", name="Chiamaka Obi"))
    expect(page.get_by_text("A07654321")).to_be_visible()  # officers see travel details
    assert_accessible(page)
    page.goto(f"{live_server}/applications/call/{open_call}")
    expect(page.get_by_role("cell", name="Lagos Biologics")).to_be_visible()
    assert_accessible(page)
    pictured(page, "apply-05-officer-list", "apply-06-officer-list-phone")
