"""A knowledge check in the browser: answers save as the learner types (the script), survive
a reload, and the review shows feedback after submitting, as the quiz allows."""

from __future__ import annotations

import pytest
from playwright.sync_api import Route, expect

from app.auth.services import Profile, create_account
from app.extensions import db
from tests.e2e.pages import assert_accessible, follow, log_in, screenshot

pytestmark = pytest.mark.e2e


def test_knowledge_check_autosaves_and_shows_feedback(page, live_server, live_app,
                                                     shipped_courses) -> None:
    with live_app.app_context():
        now = live_app.config["CLOCK"]()
        create_account(email="amina@example.org", password="a long enough passphrase",
                       profile=Profile("Amina Yusuf", "NG"), now=now)
        db.session.commit()
    log_in(page, live_server, "amina@example.org")
    page.goto(live_server + "/catalog/gxp-standard-practice/")
    follow(page, page.get_by_role("button", name="Enrol"))
    expect(page.get_by_text("You are enrolled.")).to_be_visible()
    page.goto(live_server + "/learning/gxp-standard-practice/modules/why-gxp")
    follow(page, page.get_by_role("button", name="Start"))
    expect(page.get_by_role("heading", name="Knowledge check on GxP foundations")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("GMP", exact=True).check()
    page.locator("#q-2").fill("ICH E8")
    expect(page.get_by_text("Saved at")).to_be_visible()
    screenshot(page, "16-quiz-autosaved")
    page.reload()
    expect(page.get_by_label("GMP", exact=True)).to_be_checked()
    expect(page.locator("#q-2")).to_have_value("ICH E8")

    follow(page, page.get_by_role("button", name="Submit for marking"))
    expect(page.get_by_text("Score:")).to_be_visible()
    expect(page.get_by_text("E8 covers general considerations")).to_be_visible()  # targeted
    assert_accessible(page)
    screenshot(page, "17-quiz-review")


def test_an_autosave_refused_with_503_is_kept_and_sent_again(page, live_server, live_app,
                                                             shipped_courses) -> None:
    """While the database is out of reach the server answers a save 503 with Retry-After:
    the script keeps the answer, says so, and sends it again by itself."""
    with live_app.app_context():
        now = live_app.config["CLOCK"]()
        create_account(email="amina@example.org", password="a long enough passphrase",
                       profile=Profile("Amina Yusuf", "NG"), now=now)
        db.session.commit()
    log_in(page, live_server, "amina@example.org")
    page.goto(live_server + "/catalog/gxp-standard-practice/")
    follow(page, page.get_by_role("button", name="Enrol"))
    page.goto(live_server + "/learning/gxp-standard-practice/modules/why-gxp")
    follow(page, page.get_by_role("button", name="Start"))
    refused: list[str] = []

    def database_out_once(route: Route) -> None:
        if refused:
            route.continue_()
            return
        refused.append(route.request.url)
        route.fulfill(status=503, headers={"Retry-After": "2", "Cache-Control": "no-store"},
                      content_type="application/json",
                      body='{"error": "unavailable", "unavailable": "database", '
                           '"retry_after": 2}')

    page.route("**/attempts/*/save", database_out_once)
    page.locator("#q-2").fill("ICH E8")
    expect(page.get_by_text("Not saved yet: TrainHub cannot reach its database")).to_be_visible()
    expect(page.get_by_text("Saved at")).to_be_visible(timeout=10_000)  # sent again by itself
    assert len(refused) == 1
    page.unroute("**/attempts/*/save")
    page.reload()
    expect(page.locator("#q-2")).to_have_value("ICH E8")
