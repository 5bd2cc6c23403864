"""The selection committee in the browser: on a closed call with 12 scored applications and a
cap of 2 per country, Pat reads the board and why the third Nigerian was passed over,
accepts her anyway with a reason (the board then warns of the cap), and signs the decision
with the meaning "Selection approved". Desktop and phone pictures; axe-core on each page."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.calls.models import Application, CallDecision
from app.extensions import db
from tests.calls.world import CallWorld
from tests.e2e.pages import PASSWORD, assert_accessible, follow, log_in, pictured
from tests.selection.scoring import score

pytestmark = pytest.mark.e2e

# (name, country, Rosa's total, Ravi's total): three Nigerians at the top.
APPLICANTS = [
    ("Adaeze Okafor", "NG", 15, 14), ("Chinedu Eze", "NG", 14, 14),
    ("Ngozi Bello", "NG", 14, 13), ("Wanjiru Kamau", "KE", 13, 12),
    ("Otieno Ouma", "KE", 12, 11), ("Kwame Mensah", "GH", 12, 10),
    ("Akosua Boateng", "GH", 11, 9), ("Aline Uwase", "RW", 10, 10),
    ("Jean Habimana", "RW", 9, 9), ("Sarah Nakato", "UG", 9, 6),
    ("Ifeoma Nwosu", "NG", 8, 8), ("Moses Kiprop", "KE", 7, 3),
]


def _scored_call(world: CallWorld) -> int:
    """The world's call (four places, at most two per country), closed by the server's own
    clock (real time, long past 31 March 2026), with twelve scored applications."""
    now = world.clock()
    rosa, ravi = world.reviewers
    for name, country, first, second in APPLICANTS:
        user = world.make_user(name=name, country=country)
        application = world.apply(user, nationality=country,
                                  organisation=f"{name.split()[1]} Biologics",
                                  gender="female" if name[0] in "ACNWAIS" else "male")
        score(application, rosa, first, now)
        score(application, ravi, second, now)
    return world.call.id


def test_the_committee_reads_overrides_and_signs(page: Page, live_server: str,
                                                 live_app: Flask, call_world: CallWorld
                                                 ) -> None:
    call_id = _scored_call(call_world)
    log_in(page, live_server, call_world.officer.email, PASSWORD)
    page.goto(f"{live_server}/selection/call/{call_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Selection board")
    ngozi = page.get_by_role("row").filter(has_text="Ngozi Bello")
    expect(ngozi).to_contain_text("country cap reached: Nigeria 2/2")
    expect(ngozi).to_contain_text("Waitlist #1")
    expect(page.get_by_role("row").filter(has_text="Moses Kiprop")).to_contain_text(
        "disagreement")
    assert_accessible(page)
    pictured(page, "selection-board")

    follow(page, ngozi.get_by_role("link", name="Ngozi Bello"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ngozi Bello")
    follow(page, page.get_by_role("button", name="Override the proposal"))
    expect(page.get_by_text("Give the committee's reason.").first).to_be_visible()
    page.get_by_label("Accept", exact=True).check()
    page.get_by_label("Reason").fill("Runs the only fill-finish line in the north.")
    assert_accessible(page)
    pictured(page, "selection-override")
    follow(page, page.get_by_role("button", name="Override the proposal"))
    expect(page.get_by_text("Override saved")).to_be_visible()
    expect(page.locator(".callout-warning")).to_contain_text(
        "Nigeria: 3 accepted, above its cap")
    expect(page.get_by_role("row").filter(has_text="Ngozi Bello")).to_contain_text("override")

    follow(page, page.get_by_role("link", name="Review and sign the decision"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The selection decision")
    expect(page.get_by_text("Meaning of this signature: Selection approved")).to_be_visible()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand").check()
    assert_accessible(page)
    pictured(page, "selection-decide")
    follow(page, page.get_by_role("button", name="Sign"))
    expect(page.get_by_text("Selection signed")).to_be_visible()
    expect(page.get_by_text("Decided on")).to_be_visible()
    pictured(page, "selection-decided")

    with live_app.app_context():
        decision = db.session.scalar(select(CallDecision))
        assert decision is not None
        states = dict(db.session.execute(select(Application.id, Application.state)).all())
        assert sum(1 for state in states.values() if state == "accepted") == 5
