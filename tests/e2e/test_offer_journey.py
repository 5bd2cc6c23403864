"""After a call's decision, in a real browser against the real server: an accepted
applicant reads their offer, downloads the visa invitation letter and declines the place;
the next one on the waitlist is offered it at once, reads the offer e-mail at a real SMTP
server (delivered by the outbox), follows its link, confirms, and appears on the intake's
progress board; desktop and phone pictures, axe-core on every page."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from app.mail.outbox import send_due
from app.offers.services import send_letters
from tests.conftest import smtp_settings
from tests.e2e.pages import CHARTS_DRAWN, assert_accessible, follow, log_in, log_out, pictured
from tests.offers.deciding import decide

pytestmark = pytest.mark.e2e

OFFER_LINK = re.compile(r"https?://\S+/offers/\d+")


@pytest.fixture
def decided(live_app, call_world):
    """Amina (Nigeria) accepted, Kofi (Ghana) first on the waitlist, decided just now on
    the server's clock; the decision letters made by the letters job."""
    w = call_world
    amina = w.make_user("amina@example.org", name="Amina Yusuf", country="NG")
    kofi = w.make_user("kofi@example.org", name="Kofi Mensah", country="GH")
    accepted = w.apply(amina)
    waiting = w.apply(kofi, nationality="GH", organisation="Ghana Vaccines")
    now = datetime.now(UTC)
    decide(w, accepted=[accepted], waitlisted=[waiting], now=now)
    assert send_letters(now) == 2
    from app.extensions import db

    db.session.commit()
    return w, accepted.id, waiting.id


def test_a_decline_offers_the_place_to_the_next_who_confirms_into_the_intake(
        page: Page, live_server: str, decided, make_app, smtp_server) -> None:
    w, accepted_id, waiting_id = decided
    log_in(page, live_server, "amina@example.org")
    page.goto(f"{live_server}/offers/{accepted_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The decision on your application")
    expect(page.get_by_text("Offered a place", exact=True)).to_be_visible()
    assert_accessible(page)
    pictured(page, "offers-01-accepted")

    with page.expect_download() as download:
        page.get_by_role("link", name="Invitation letter for a visa (PDF)").click()
    letter = PdfReader(io.BytesIO(download.value.path().read_bytes())).pages[0].extract_text()
    assert f"P{accepted_id:07d}" in letter and "AMINA YUSUF" in letter

    follow(page, page.get_by_role("button", name="Decline the place"))
    expect(page.get_by_role("heading", name="Decline the place?")).to_be_visible()
    assert_accessible(page)
    pictured(page, "offers-02-decline-step")
    follow(page, page.get_by_role("button", name="Yes, decline the place"))
    expect(page.get_by_text("You have declined the place.")).to_be_visible()
    expect(page.get_by_text("Place declined", exact=True)).to_be_visible()
    log_out(page)

    # The worker's turn: the outbox goes to the SMTP server, where Kofi's offer is read.
    sender = make_app(**smtp_settings(smtp_server))
    with sender.app_context():
        assert send_due(datetime.now(UTC), limit=50).sent == 3
    offers = [m for m in smtp_server.messages if m.recipients == ("kofi@example.org",)
              and "offered a place" in m.parsed()["Subject"]]
    assert len(offers) == 1
    mail = offers[0].parsed()
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    body = mail.get_body(("plain",))
    assert body is not None
    [link] = set(OFFER_LINK.findall(body.get_content()))
    assert link.endswith(f"/offers/{waiting_id}")

    log_in(page, live_server, "kofi@example.org")
    # The mail's link names SERVER_NAME's host; the same path on the test server.
    page.goto(live_server + "/offers/" + link.rsplit("/offers/", 1)[1])
    expect(page.get_by_text("Offered a place", exact=True)).to_be_visible()
    follow(page, page.get_by_role("button", name="Confirm my place"))
    expect(page.get_by_role("heading", name="Confirm your place?")).to_be_visible()
    follow(page, page.get_by_role("button", name="Yes, confirm my place"))
    expect(page.get_by_text("You have confirmed your place. Welcome!")).to_be_visible()
    assert_accessible(page)
    pictured(page, "offers-03-confirmed")
    log_out(page)

    log_in(page, live_server, "pat@example.org")
    page.goto(f"{live_server}/offers/call/{w.call.id}")
    expect(page.get_by_role("heading", name="Offers and confirmations")).to_be_visible()
    assert_accessible(page)
    pictured(page, "offers-04-officer")
    page.goto(f"{live_server}/reports/calls/{w.call.id}")
    expect(page.get_by_role("heading", name="The funnel by country")).to_be_visible()
    page.wait_for_function(CHARTS_DRAWN)
    assert_accessible(page)
    pictured(page, "offers-05-funnel")
    log_out(page)
    log_in(page, live_server, "nadia@example.org")
    page.goto(f"{live_server}/intakes/{w.intake.id}/board")
    expect(page.get_by_role("rowheader", name=re.compile("Kofi Mensah"))).to_be_visible()
    expect(page.get_by_text("Amina Yusuf")).to_have_count(0)
