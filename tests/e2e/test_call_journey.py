"""Issue 22's journey, from a published call to an intake, in a real browser against the real
server:

1. 40 applicants from 10 countries apply: each logs in, opens the call's public page,
   starts, fills in the form (autosaved), uploads two PDFs and hands it in.
2. Pat, the programme officer, adds a third reviewer and spreads the applications; the three
   reviewers score them against the rubric.
3. Pat closes the call; the board's proposal keeps to the cap of 4 per country and says why
   the fifth Nigerian was passed over; the committee regrets one waitlisted applicant with a
   reason.
4. Pat signs the decision ("Selection approved").
5. The letters job makes the decision letters and the outbox delivers them to a real SMTP
   server: 16 acceptances, 23 waitlist letters and one regret, each with its PDF.
6. One accepted applicant (India) declines.
7. The place goes at once to the first one on the waitlist whom the caps let in (not the
   capped Nigerians, Kenyans and Ghanaians ahead of her), who is e-mailed and confirms.
8. The confirmed learners appear on the intake's board; the one who declined does not.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.auth.models import User
from app.calls.models import Application, ReviewAssignment
from app.extensions import db
from app.mail.outbox import send_due
from app.offers.services import send_letters
from tests.calls.world import CallWorld, pdf_bytes
from tests.conftest import smtp_settings
from tests.e2e.pages import PASSWORD, assert_accessible, follow, log_in, log_out, pictured

pytestmark = pytest.mark.e2e

# Applicants in the order of their merit (the reviewers' scores follow it): 10 countries,
# eight Nigerians at the top, so that the cap of 4 per country binds.
COUNTRIES = ["NG"] * 8 + ["KE"] * 6 + ["GH"] * 5 + ["IN"] * 4 + ["EG"] * 3 + ["BD"] * 3 \
    + ["VN"] * 3 + ["ID"] * 3 + ["RW"] * 3 + ["PK"] * 2
PLACES, CAP = 16, 4
OFFER_LINK = re.compile(r"https?://\S+/offers/(\d+)")


def _points(index: int) -> dict[str, int]:
    """Scores that fall with the applicant's place in COUNTRIES (ties go by submission,
    which is the same order)."""
    total = 15 - (index * 12) // len(COUNTRIES)
    experience = min(5, total)
    motivation = min(5, total - experience)
    return {"experience": experience, "motivation": motivation,
            "impact": total - experience - motivation}


def _fresh() -> None:
    db.session.rollback()  # read what the server committed


@pytest.fixture
def open_call(live_app: Flask, call_world: CallWorld) -> dict[str, Any]:
    """The world's call, open now on the server's real clock: 16 places, at most 4 a
    country, one reviewer per application; 40 applicants' accounts."""
    call = call_world.call
    now = datetime.now(UTC)
    call.opens_at, call.closes_at = now - timedelta(days=1), now + timedelta(days=30)
    call.places, call.quotas = PLACES, {"country_max": CAP}
    call.reviews_per_application, call.asks_travel_details = 1, False
    applicants = [call_world.make_user(f"applicant{n:02d}@example.org",
                                       name=f"Applicant {n:02d} {country}", country=country,
                                       organisation=f"{country} Vaccines {n:02d}")
                  for n, country in enumerate(COUNTRIES)]
    third = call_world.make_user("rui@example.org", name="Rui Reviewer")
    db.session.commit()
    return {"world": call_world, "applicants": applicants, "third": third}


def _apply(page: Page, server: str, call_id: int, user: User, files: list[Path]) -> None:
    log_in(page, server, user.email)
    page.goto(f"{server}/calls/{call_id}")
    follow(page, page.get_by_role("link", name="Apply", exact=True).first)
    follow(page, page.get_by_role("button", name="Start my application"))
    page.get_by_label("Manufacturer").check()
    page.locator("#experience_years").fill("6")
    page.get_by_label("Current job title").fill("Production supervisor")
    page.get_by_label("Why do you want this training?").fill(
        "Our plant is starting a fill and finish line and I lead its production team.")
    page.get_by_label("Monoclonal antibodies").check()
    for key, path in zip(("cv", "endorsement"), files, strict=True):
        page.locator(f"#q-{key}").set_input_files(str(path))
        expect(page.locator(f"#q-{key}-stored")).to_contain_text(path.name)
    expect(page.locator("#checklist-done")).to_be_visible()
    follow(page, page.get_by_role("button", name="Hand in my application"))
    expect(page.get_by_role("heading", name="Status: Submitted")).to_be_visible()
    log_out(page)


def _score(page: Page, server: str, reviewer: User, order: dict[int, int]) -> int:
    """The reviewer scores every application assigned to them; how many."""
    _fresh()
    held = list(db.session.scalars(select(ReviewAssignment.application_id).where(
        ReviewAssignment.reviewer_id == reviewer.id).order_by(ReviewAssignment.id)))
    log_in(page, server, reviewer.email)
    for application_id in held:
        page.goto(f"{server}/reviews/{application_id}")
        points = _points(order[application_id])
        page.get_by_label("Relevant production experience").fill(str(points["experience"]))
        page.get_by_label("Motivation and plan").fill(str(points["motivation"]))
        page.get_by_label("Impact on the home organisation").fill(str(points["impact"]))
        page.get_by_label("Comment for the committee").fill("Scored against the rubric.")
        follow(page, page.get_by_role("button", name="Save my score"))
        expect(page.get_by_text("Your score is saved.")).to_be_visible()
    log_out(page)
    return len(held)


def _letters(make_app: Any, smtp_server: Any) -> None:
    """The worker's turn: the letters job, then the outbox to the SMTP server."""
    now = datetime.now(UTC)
    assert send_letters(now) == len(COUNTRIES)
    db.session.commit()
    sender = make_app(**smtp_settings(smtp_server))
    with sender.app_context():
        send_due(datetime.now(UTC), limit=500)


def _subjects_to(smtp_server: Any, email: str) -> list[str]:
    return [m.parsed()["Subject"] for m in smtp_server.messages if m.recipients == (email,)]


def test_from_a_published_call_to_an_intake(page: Page, live_server: str, open_call: Any,
                                            make_app: Any, smtp_server: Any,
                                            tmp_path: Path) -> None:
    world: CallWorld = open_call["world"]
    applicants: list[User] = open_call["applicants"]
    call_id = world.call.id
    files = []
    for name in ("cv.pdf", "endorsement.pdf"):
        files.append(tmp_path / name)
        files[-1].write_bytes(pdf_bytes(2))

    # 1. Forty applicants from ten countries apply.
    for user in applicants:
        _apply(page, live_server, call_id, user, files)
    _fresh()
    submitted = db.session.execute(select(Application.id, Application.applicant_id).where(
        Application.call_id == call_id, Application.state == "submitted")).all()
    assert len(submitted) == 40 and len(set(COUNTRIES)) == 10
    index_of = {user.id: n for n, user in enumerate(applicants)}
    order = {row.id: index_of[row.applicant_id] for row in submitted}
    by_index = {n: application_id for application_id, n in order.items()}

    # 2. A third reviewer, the spread, and three reviewers' scores.
    log_in(page, live_server, world.officer.email)
    page.goto(f"{live_server}/reviews/call/{call_id}")
    page.get_by_label("E-mail address of the reviewer's account").fill("rui@example.org")
    follow(page, page.get_by_role("button", name="Add the reviewer"))
    follow(page, page.get_by_role("button", name="Spread evenly"))
    expect(page.get_by_text("40 assignments added.")).to_be_visible()
    pictured(page, "call-journey-01-reviews")
    log_out(page)
    reviewers = [*world.reviewers, open_call["third"]]
    scored = [_score(page, live_server, reviewer, order) for reviewer in reviewers]
    assert sum(scored) == 40 and max(scored) - min(scored) <= 1

    # 3. The call closes; the proposal keeps to the cap; one waitlisted applicant is regretted.
    log_in(page, live_server, world.officer.email)
    page.goto(f"{live_server}/calls/{call_id}/close")
    follow(page, page.get_by_role("button", name="Close the call now"))
    page.goto(f"{live_server}/selection/call/{call_id}")
    fifth_nigerian = page.get_by_role("row").filter(has_text=applicants[4].name)
    expect(fifth_nigerian).to_contain_text(f"country cap reached: Nigeria {CAP}/{CAP}")
    assert_accessible(page)
    pictured(page, "call-journey-02-board", "call-journey-02-board-phone")
    last = applicants[-1]
    page.goto(f"{live_server}/selection/call/{call_id}/applications/{by_index[39]}")
    page.get_by_label("Regret", exact=True).check()
    page.get_by_label("Reason").fill("Has taken a post outside manufacturing since applying.")
    follow(page, page.get_by_role("button", name="Override the proposal"))
    expect(page.get_by_text("Override saved")).to_be_visible()

    # 4. Signed: "Selection approved".
    page.goto(f"{live_server}/selection/call/{call_id}/decide")
    expect(page.get_by_text("Meaning of this signature: Selection approved")).to_be_visible()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand").check()
    follow(page, page.get_by_role("button", name="Sign"))
    expect(page.get_by_text("Selection signed")).to_be_visible()
    log_out(page)
    _fresh()
    states = {order[a.id]: a for a in db.session.scalars(
        select(Application).where(Application.call_id == call_id))}
    accepted = sorted(n for n, a in states.items() if a.state == "accepted")
    assert len(accepted) == PLACES
    assert max(Counter(COUNTRIES[n] for n in accepted).values()) == CAP
    assert states[39].state == "regretted"
    assert accepted == [*range(0, 4), *range(8, 12), *range(14, 18), *range(19, 23)]
    waitlist = [n for _rank, n in sorted((a.waitlist_rank, n) for n, a in states.items()
                                         if a.state == "waitlisted")]
    assert waitlist == [n for n in range(39) if n not in accepted]

    # 5. The letters go out, each with its PDF.
    _letters(make_app, smtp_server)
    letters = [m for m in smtp_server.messages
               if any(part.get_content_type() == "application/pdf"
                      for part in m.parsed().iter_attachments())]
    assert len(letters) == 40
    assert any("offered a place" in s for s in _subjects_to(smtp_server, applicants[0].email))
    assert len(_subjects_to(smtp_server, last.email)) == 2  # received, then the regret

    # 6. One accepted applicant, from India, declines.
    decliner = applicants[19]
    log_in(page, live_server, decliner.email)
    page.goto(f"{live_server}/offers/{by_index[19]}")
    follow(page, page.get_by_role("button", name="Decline the place"))
    follow(page, page.get_by_role("button", name="Yes, decline the place"))
    expect(page.get_by_text("You have declined the place.")).to_be_visible()
    log_out(page)

    # 7. The first on the waitlist whom the caps let in: the Nigerians, Kenyans and Ghanaian
    # ahead of her are from countries at their cap, and no Indian is left waiting.
    holding = Counter(COUNTRIES[n] for n in accepted if n != 19)
    expected = next(n for n in waitlist if holding[COUNTRIES[n]] < CAP)
    assert COUNTRIES[expected] == "EG" and waitlist.index(expected) == 7
    _fresh()
    offered_now = sorted(order[a.id] for a in db.session.scalars(select(Application).where(
        Application.call_id == call_id, Application.state == "accepted"))
        if order[a.id] not in accepted)
    assert offered_now == [expected]
    newcomer = applicants[expected]
    sender = make_app(**smtp_settings(smtp_server))
    with sender.app_context():
        send_due(datetime.now(UTC), limit=50)
    offers = [m for m in smtp_server.messages if m.recipients == (newcomer.email,)
              and "offered a place" in m.parsed()["Subject"]]
    assert len(offers) == 1

    # 8. The newcomer and three others confirm, and appear in the intake.
    confirming = [applicants[0], applicants[8], applicants[14], newcomer]
    for user in confirming:
        log_in(page, live_server, user.email)
        page.goto(f"{live_server}/offers/{by_index[index_of[user.id]]}")
        follow(page, page.get_by_role("button", name="Confirm my place"))
        follow(page, page.get_by_role("button", name="Yes, confirm my place"))
        expect(page.get_by_text("You have confirmed your place. Welcome!")).to_be_visible()
        log_out(page)
    log_in(page, live_server, world.network.admin.email)
    page.goto(f"{live_server}/intakes/{world.intake.id}/board")
    for user in confirming:
        expect(page.get_by_role("rowheader", name=re.compile(user.name))).to_be_visible()
    expect(page.get_by_text(decliner.name)).to_have_count(0)
    assert_accessible(page)
    pictured(page, "call-journey-03-intake")
