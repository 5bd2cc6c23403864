"""The attempt page's resends (app/static/autosave.js) in the browser, with the network
between page and server under the test's control: an older save never wins over a newer
one, nothing typed leaves the browser's copy before the server has it, and nothing is
sent once the attempt is submitted."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from playwright.sync_api import Page, Route, expect
from sqlalchemy import select

from app.extensions import db
from app.quizzes.models import AnswerStep
from tests.e2e.knowledge_check import start_knowledge_check

pytestmark = pytest.mark.e2e

SAVES = "**/quizzes/attempts/*/save"
OUT = {"status": 503, "headers": {"Retry-After": "4", "Cache-Control": "no-store"},
       "content_type": "application/json",
       "body": '{"error": "unavailable", "unavailable": "database", "retry_after": 4}'}
KEPT = "() => Object.keys(localStorage).filter(k => k.startsWith('trainhub-attempt-'))" \
       ".map(k => localStorage.getItem(k))"


def _seq(route: Route) -> int:
    found = re.search(r'name="seq"\r\n\r\n(\d+)', route.request.post_data or "")
    assert found is not None
    return int(found.group(1))


def _until(page: Page, done: Callable[[], bool], what: str, seconds: float = 15) -> None:
    """Let the page run until `done()` (the routes' handlers run meanwhile)."""
    for _ in range(int(seconds * 20)):
        if done():
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"never: {what}")


def _stored(live_app: Flask) -> list[tuple[str, int, object]]:
    with live_app.app_context():
        rows = db.session.execute(select(AnswerStep.question_key, AnswerStep.seq,
                                         AnswerStep.answer).order_by(AnswerStep.id)).all()
        db.session.remove()
    return [(row.question_key, row.seq, row.answer) for row in rows]


def test_a_save_overtaken_by_a_newer_one_sends_its_other_questions_again(
        page, live_server, live_app, shipped_courses) -> None:
    """Save 1 (both questions) is held on the way while save 2 (question 2 changed) reaches
    the server: save 1 then arrives last and is refused as stale, as it must be, and
    question 1, which only it carried, goes with the next save."""
    start_knowledge_check(page, live_server, live_app)
    held: list[Route] = []
    passed: list[tuple[int, int]] = []  # (seq, status) of the saves let through

    def hold_the_first(route: Route) -> None:
        if not held:
            held.append(route)  # answered below, once the newer save is stored
            return
        answer = route.fetch()
        passed.append((_seq(route), answer.status))
        route.fulfill(response=answer)

    page.route(SAVES, hold_the_first)
    page.get_by_label("GMP", exact=True).check()
    page.locator("#q-2").fill("ICH E8")
    _until(page, lambda: bool(held), "the first save was sent")
    page.locator("#q-2").fill("ICH E6")
    _until(page, lambda: len(passed) == 1, "the newer save was stored")
    held[0].continue_()  # the older save arrives now: stale
    _until(page, lambda: len(passed) == 2, "question 1 was sent again")
    expect(page.get_by_text("Saved at")).to_be_visible()
    assert passed == [(2, 200), (3, 200)]
    stored = _stored(live_app)
    assert [(key, seq) for key, seq, _ in stored] == [("2", 2), ("1", 3), ("2", 3)]
    assert "ICH E6" in str(stored[-1][2])


def test_the_browsers_copy_stays_until_a_lost_save_is_stored(page, live_server, live_app,
                                                            shipped_courses) -> None:
    """Save 1 gets a 503 and waits for its resend; save 2, of another question, is stored
    meanwhile. The browser keeps what save 1 carried until it is stored too (a tab closed
    in between loses nothing), then lets it go."""
    start_knowledge_check(page, live_server, live_app)
    answered: list[int] = []

    def first_one_out(route: Route) -> None:
        if not answered:
            answered.append(503)
            route.fulfill(**OUT)  # type: ignore[arg-type]
            return
        answer = route.fetch()
        answered.append(answer.status)
        route.fulfill(response=answer)

    page.route(SAVES, first_one_out)
    page.locator("#q-2").fill("ICH E8")
    expect(page.get_by_text("Not saved yet: TrainHub cannot reach its database")).to_be_visible()
    page.get_by_label("GMP", exact=True).check()
    expect(page.get_by_text("Saved at")).to_be_visible()
    assert answered == [503, 200]
    [kept] = page.evaluate(KEPT)
    assert "ICH E8" in kept
    _until(page, lambda: len(answered) == 3, "question 2 was sent again")
    page.wait_for_function(KEPT + ".length === 0")
    assert answered == [503, 200, 200]
    assert [(key, seq) for key, seq, _ in _stored(live_app)] == [("1", 2), ("2", 3)]


def test_nothing_is_sent_again_once_the_attempt_is_submitted(page, live_server, live_app,
                                                            shipped_courses) -> None:
    """A save waits for its resend when the learner submits: the submit carries every
    answer, and the page sends nothing more while it is on its way (an answer then could
    only reload the page over the submit)."""
    start_knowledge_check(page, live_server, live_app)
    saves: list[int] = []
    submits: list[Route] = []

    def out(route: Route) -> None:
        saves.append(_seq(route))
        route.fulfill(**OUT)  # type: ignore[arg-type]

    page.route(SAVES, out)
    page.route("**/quizzes/attempts/*/submit", lambda route: submits.append(route))
    page.locator("#q-2").fill("ICH E8")
    expect(page.get_by_text("Not saved yet: TrainHub cannot reach its database")).to_be_visible()
    page.get_by_role("button", name="Submit for marking").click(no_wait_after=True)
    _until(page, lambda: bool(submits), "the submit was sent")
    page.wait_for_timeout(5_000)  # the resend was due 4 s after the 503
    assert saves == [1]
    with page.expect_navigation():
        submits[0].continue_()
    expect(page.get_by_text("Score:")).to_be_visible()
    stored = _stored(live_app)  # every question, by the submit alone, under its seq
    assert {seq for _, seq, _ in stored} == {2} and "ICH E8" in str(
        [answer for key, _, answer in stored if key == "2"])
