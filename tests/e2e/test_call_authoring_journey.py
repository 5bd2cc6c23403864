"""Writing a call in a real browser: Pat, a programme officer, writes a call with a form of
three questions and a rubric, previews it and publishes it; an anonymous visitor finds it at
/calls/ and reads its page on a phone. Each page is kept as a picture at desktop width and
at 360 px."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.calls.world import CallWorld
from tests.e2e.pages import (
    DESKTOP,
    PHONE,
    assert_accessible,
    follow,
    log_in,
    log_out,
    pictured,
)

pytestmark = pytest.mark.e2e
TITLE = "Call for applications: IBDM November 2026"


@pytest.fixture
def world(live_server: str, call_world: CallWorld) -> CallWorld:
    return call_world


def _wall_clock(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def test_pat_writes_previews_and_publishes_a_call_that_anyone_reads(
        page: Page, live_server: str, world: CallWorld) -> None:
    log_in(page, live_server, "pat@example.org")
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Calls"))
    follow(page, page.get_by_role("link", name="Manage your centres' calls"))
    follow(page, page.get_by_role("link", name="New call", exact=True))
    page.get_by_label("Intake", exact=True).select_option(
        label="IBDM June 2026 (IBDM-2026-06)")
    page.get_by_label("Code", exact=True).fill("IBDM-2026-11")
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Description").fill(
        "Production staff of **vaccine manufacturers** in low- and middle-income countries "
        "may apply.\n\n- Two weeks in Songdo\n- Travel paid by the hub")
    page.get_by_label("Time zone of the dates").select_option("Asia/Seoul")
    page.get_by_label("Opens").fill(_wall_clock(-1))
    page.get_by_label("Closes (the deadline)").fill(_wall_clock(30))
    page.get_by_label("Places", exact=True).fill("24")
    page.get_by_label("Low- and middle-income countries (World Bank income groups)").check()
    page.get_by_label("Manufacturer").check()
    page.get_by_label("Years of experience, at least").fill("2")
    # The form: three questions; each shows only its kind's options.
    page.locator("#question-0-label").fill("Current job title")
    page.locator("#question-0-required").check()
    page.locator("#question-1-label").fill("Why do you want this training?")
    page.locator("#question-1-kind").select_option("long_text")
    expect(page.locator("#question-1-max_words")).to_be_visible()
    expect(page.locator("#question-1-max_length")).to_be_hidden()
    page.locator("#question-1-max_words").fill("300")
    page.locator("#question-1-required").check()
    page.locator("#question-2-label").fill("CV (PDF)")
    page.locator("#question-2-kind").select_option("file")
    page.locator("#question-2-max_mb").fill("2")
    page.locator("#question-2-required").check()
    # Moving the CV up makes it the second question, renumbered.
    page.locator("[data-builder=question] [data-row]").nth(2).get_by_role(
        "button", name="Move up").click()
    expect(page.locator("#question-1-label")).to_have_value("CV (PDF)")
    page.locator("#criterion-0-label").fill("Relevant production experience")
    page.locator("#criterion-0-max").fill("5")
    page.locator("#criterion-1-label").fill("Motivation")
    page.locator("#criterion-1-max").fill("5")
    page.get_by_label("Most places per country").fill("4")
    pictured(page, "calls-01-new-call")
    assert_accessible(page)
    # A mistake: the title and the rubric's third criterion; all shown at once, nothing lost.
    page.get_by_label("Title", exact=True).fill("")
    page.locator("#criterion-2-label").fill("Impact at home")
    page.locator("#criterion-2-max").fill("500")
    follow(page, page.get_by_role("button", name="Save the call"))
    expect(page.get_by_text("Give the call a title.")).to_be_visible()
    expect(page.get_by_text("Criterion impact_at_home: the most points is a whole number "
                            "from 1 to 100.")).to_be_visible()
    expect(page.locator("#question-1-label")).to_have_value("CV (PDF)")
    pictured(page, "calls-01-new-call-errors")
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.locator("#criterion-2-max").fill("5")
    follow(page, page.get_by_role("button", name="Save the call"))
    expect(page.get_by_text("The call is saved.")).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    pictured(page, "calls-02-overview")
    assert_accessible(page)

    follow(page, page.get_by_role("link", name="Preview"))
    expect(page.get_by_text("Preview: not published")).to_be_visible()
    expect(page.locator(".call-description strong")).to_have_text("vaccine manufacturers")
    pictured(page, "calls-03-preview")
    follow(page, page.get_by_role("link", name="Back to the call"))
    follow(page, page.get_by_role("button", name="Publish"))
    expect(page.get_by_text("The call is published")).to_be_visible()
    follow(page, page.get_by_role("link", name="Your centres' calls"))
    expect(page.get_by_role("cell", name=TITLE)).to_be_visible()
    pictured(page, "calls-06-manage")
    assert_accessible(page)
    log_out(page)

    page.goto(live_server + "/calls/")
    follow(page, page.get_by_role("link", name=TITLE))
    expect(page.get_by_role("heading", name="Who may apply")).to_be_visible()
    expect(page.get_by_text("At least 2 years of relevant experience.")).to_be_visible()
    expect(page.get_by_text("PDF, up to 2 MB")).to_be_visible()
    expect(page.get_by_text("(Asia/Seoul)").first).to_be_visible()
    page.go_back()
    pictured(page, "calls-04-public-list")
    assert_accessible(page)
    follow(page, page.get_by_role("link", name=TITLE))
    page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    expect(page.get_by_role("heading", name="Questions on the form")).to_be_visible()
    assert_accessible(page)
    pictured(page, "calls-05-public-call")
    # The same page in Arabic, right to left.
    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    page.get_by_label("Language").select_option("ar")
    follow(page, page.get_by_role("button", name="Change"))
    expect(page.get_by_role("heading", name="من يحق له التقديم")).to_be_visible()
    pictured(page, "calls-07-public-call-ar")
