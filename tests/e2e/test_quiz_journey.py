"""A knowledge check in the browser: answers save as the learner types (the script), survive
a reload, and the review shows feedback after submitting, as the quiz allows."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Route, expect

from app.extensions import db
from tests.e2e.knowledge_check import start_knowledge_check
from tests.e2e.pages import assert_accessible, follow, screenshot

pytestmark = pytest.mark.e2e


def test_knowledge_check_autosaves_and_shows_feedback(page, live_server, live_app,
                                                     shipped_courses) -> None:
    start_knowledge_check(page, live_server, live_app)
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
    start_knowledge_check(page, live_server, live_app)
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


def test_a_save_whose_answer_was_lost_is_sent_again_and_acknowledged(
        page, live_server, live_app, shipped_courses) -> None:
    """The server stores the save, but its answer never reaches the page (a connection
    dropped on the way back): the script sends the same save again under the same number,
    and the server acknowledges it instead of refusing it as stale."""
    from sqlalchemy import select

    from app.quizzes.models import AnswerStep

    start_knowledge_check(page, live_server, live_app)
    sent: list[tuple[str, int]] = []  # (the save's number, the server's status)

    def answer_lost_once(route) -> None:
        answer = route.fetch()  # the server has it...
        number = re.search(r'name="seq"\r\n\r\n(\d+)', route.request.post_data or "")
        sent.append((number.group(1) if number else "", answer.status))
        if len(sent) == 1:
            route.abort("connectionreset")  # ...the page never hears so
        else:
            route.fulfill(response=answer)

    page.route("**/quizzes/attempts/*/save", answer_lost_once)
    page.locator("#q-2").fill("ICH E8")
    expect(page.get_by_text("Saved at")).to_be_visible()
    assert sent == [("1", 200), ("1", 200)]  # the same save twice, acknowledged twice
    with live_app.app_context():
        steps = db.session.execute(select(AnswerStep.question_key, AnswerStep.seq)).all()
    assert [(row.question_key, row.seq) for row in steps] == [("2", 1)]
