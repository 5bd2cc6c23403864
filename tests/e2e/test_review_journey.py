"""Reviewing in a real browser: Pat, the programme officer, spreads six applications over
Rosa and Ravi and gives Ravi one of Rosa's by hand; Rosa scores it blind and sees Ravi's
score only once she has given hers; she declares a conflict on another, which goes to Ravi.
Each page is kept as a picture at desktop width and at 360 px."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.calls.models import Application, ReviewAssignment
from app.extensions import db
from app.reviews.services import score_application
from tests.e2e.pages import assert_accessible, follow, log_in, log_out, pictured

pytestmark = pytest.mark.e2e
NAMES = ("Adaeze Obi", "Kwame Mensah", "Thandiwe Dube", "Lina Haddad", "Sipho Nkosi",
         "Mariam Diallo")


def _held(reviewer_id: int) -> list[int]:
    db.session.rollback()  # read what the server committed
    return list(db.session.scalars(select(ReviewAssignment.application_id).where(
        ReviewAssignment.reviewer_id == reviewer_id, ReviewAssignment.conflict_at.is_(None))
        .order_by(ReviewAssignment.application_id)))


def test_pat_spreads_rosa_scores_blind_and_declares_a_conflict(
        page: Page, live_server: str, live_app: Any, call_world: Any) -> None:
    world = call_world
    world.call.blind_review = True
    world.call.reviews_per_application = 1
    for n, name in enumerate(NAMES):
        world.apply(world.make_user(f"applicant{n}@example.org", name=name,
                                    organisation=f"Vaccine Works {n}"),
                    organisation=f"Vaccine Works {n}")
    db.session.commit()
    rosa, ravi = world.reviewers
    call_page = f"{live_server}/reviews/call/{world.call.id}"

    log_in(page, live_server, world.officer.email)
    page.goto(call_page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Reviews")
    follow(page, page.get_by_role("button", name="Spread evenly"))
    expect(page.get_by_text("6 assignments added.")).to_be_visible()
    reviewers = page.get_by_role("region", name="Reviewers")
    expect(reviewers.get_by_role("row", name="Rosa Reviewer")).to_contain_text("3")
    mine = _held(rosa.id)
    assert len(mine) == 3 and len(_held(ravi.id)) == 3
    shared, conflicted = mine[0], mine[1]
    # Pat gives Ravi one of Rosa's applications as well, by hand.
    row = page.locator(f"#application-{shared}")
    row.get_by_label(f"Reviewer for application {shared}").select_option(label="Ravi Reviewer (3)")
    follow(page, row.get_by_role("button", name="Assign", exact=True))
    expect(page.get_by_text(f"Application {shared} is assigned.")).to_be_visible()
    assert_accessible(page)
    pictured(page, "reviews-01-officer")
    log_out(page)

    assert shared in _held(ravi.id)
    score_application(ravi, db.get_or_404(Application, shared), world.call,
                      {"experience": 2, "motivation": 2, "impact": 1}, "Little evidence.",
                      world.clock())
    db.session.commit()

    log_in(page, live_server, rosa.email)
    page.goto(f"{live_server}/reviews/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your reviews")
    expect(page.locator(".panel .meta").first).to_contain_text("3 to score · 0 scored")
    for name in NAMES:
        expect(page.get_by_text(name)).to_have_count(0)
    pictured(page, "reviews-02-reviewer-list")
    follow(page, page.get_by_role("link", name=f"Applicant {shared}", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Applicant {shared}")
    expect(page.get_by_text("The other reviewers' scores are shown once you have given "
                            "yours.")).to_be_visible()
    expect(page.get_by_text("Ravi Reviewer")).to_have_count(0)
    for name in NAMES:
        expect(page.get_by_text(name)).to_have_count(0)
    assert "Vaccine Works" not in page.content()
    page.get_by_label("Relevant production experience").fill("4")
    page.get_by_label("Motivation and plan").fill("5")
    page.get_by_label("Impact on the home organisation").fill("4")
    page.get_by_label("Comment for the committee").fill("Runs a fill and finish line already.")
    assert_accessible(page)
    pictured(page, "reviews-03-score-blind")
    follow(page, page.get_by_role("button", name="Save my score"))
    expect(page.get_by_text("Your score is saved.")).to_be_visible()
    scores = page.get_by_role("region", name="The reviewers' scores")
    expect(scores).to_contain_text("Ravi Reviewer")
    expect(scores).to_contain_text("Little evidence.")
    expect(scores).to_contain_text("5 of 15")
    assert_accessible(page)
    pictured(page, "reviews-04-after-own-score")

    page.goto(f"{live_server}/reviews/{conflicted}")
    follow(page, page.get_by_role("link", name="Declare a conflict of interest"))
    page.get_by_label("Why you cannot review this application fairly").fill(
        "She worked in my team until last year.")
    assert_accessible(page)
    pictured(page, "reviews-05-conflict")
    follow(page, page.get_by_role("button", name="Declare the conflict"))
    expect(page.get_by_text("Your conflict of interest is on record")).to_be_visible()
    expect(page.get_by_text("conflict declared", exact=True)).to_be_visible()
    pictured(page, "reviews-06-after-conflict")
    assert conflicted in _held(ravi.id) and conflicted not in _held(rosa.id)
    log_out(page)
