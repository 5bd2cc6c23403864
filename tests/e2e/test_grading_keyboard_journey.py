"""An assessor grades ten scripts in a row with the keyboard alone: the skip links, Tab into
each criterion's levels, the arrow keys to pick one, the running total, and "Save and next"
with Enter, from the oldest script to the last. The grades recorded are the ones picked.
The staff's To do, before and after, shows what waits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.auth.services import Profile, create_account
from app.content.models import Quiz
from app.core.roles import Role
from app.extensions import db
from app.grading.services import latest_grades
from app.learning.services import assign_staff, decide_enrolment, enrol
from app.quizzes.models import Attempt
from app.quizzes.services import save_answers, start_attempt, submit_attempt
from tests.conftest import choice_token
from tests.course_files import COURSE_MD, ESSAY_QUIZ, module_md
from tests.e2e.pages import PASSWORD, assert_accessible, follow, log_in, screenshot
from tests.e2e.people import make_grace, make_ivan
from tests.factories import import_folder

pytestmark = pytest.mark.e2e
SCRIPTS = 10


def _levels(n: int) -> tuple[int, int]:
    """The points the assessor gives learner n on the two criteria (out of 4 and of 2)."""
    return n % 5, (n + 1) % 3


@pytest.fixture
def scripts(live_app, tmp_path) -> list[int]:
    """Ten learners' essays, submitted a minute apart, in a course Ivan assesses; one more
    learner waits for a decision on joining."""
    folder = tmp_path / "aseptic-basics"
    folder.mkdir()
    (folder / "course.md").write_text(COURSE_MD.format(extra="enrolment: approval\n"))
    (folder / "01-report.md").write_text(module_md("Deviation report", body=ESSAY_QUIZ))
    with live_app.app_context():
        now = live_app.config["CLOCK"]()
        course = import_folder(folder, "aseptic-basics", live_app.config["CLOCK"])
        grace = make_grace(now)
        ivan = make_ivan(now, Role.ASSESSOR, Role.INSTRUCTOR)
        quiz = db.session.scalars(select(Quiz)).one()
        assign_staff(grace, course, ivan, "assessor", now)
        assign_staff(grace, course, ivan, "instructor", now)
        ids = []
        for n in range(SCRIPTS + 1):
            learner = create_account(email=f"learner{n}@example.org", password=PASSWORD,
                                     profile=Profile(f"Learner {n:02d}", "NG"), now=now)
            enrolment = enrol(learner, course, now)
            if n == SCRIPTS:
                break  # the last one waits to join
            decide_enrolment(ivan, enrolment, course, accept=True, reason="", now=now)
            attempt = start_attempt(learner, quiz, now)
            save_answers(learner, attempt, {
                "1": [choice_token(attempt, "1", 0)],
                "2": [f"I leave the entry as it is and tell QA. Learner {n} wrote this."]},
                1, now)
            submit_attempt(learner, attempt, now + timedelta(minutes=n))
            ids.append(attempt.id)
        db.session.commit()
    return ids


def _press(page: Page, key: str, times: int = 1) -> None:
    for _ in range(times):
        page.keyboard.press(key)


def _pick(page: Page, level: int) -> None:
    """On a criterion's first level (focused by Tab): check it, then move right."""
    _press(page, "Space")
    _press(page, "ArrowRight", level)


def _grade_with_the_keyboard(page: Page, first: int, second: int, *, look: bool = False
                             ) -> None:
    if page.url.endswith("#answer-2"):
        # "Save and next" answers with a redirect, and the browser keeps the page's
        # fragment across it (Fetch: a Location without one inherits it): the next script
        # opens at its answer, where the keyboard's next Tab starts.
        expect(page.locator("#answer-2")).to_be_in_viewport()
    else:
        _press(page, "Tab")  # the page's first stop: "Skip to main content"
        expect(page.locator(".skip-link")).to_be_focused()
        _press(page, "Enter")
        _press(page, "Tab")
        skip = page.get_by_role("link", name="Skip to the learner's answer")
        expect(skip).to_be_focused()
        _press(page, "Enter")
        expect(page.locator("#answer-2")).to_be_focused()
    _press(page, "Tab")  # into the first criterion's levels
    expect(page.locator("input[name=points-2-0]").first).to_be_focused()
    _pick(page, first)
    expect(page.locator("input[name=points-2-0]:checked")).to_have_value(str(first))
    if look:  # the level the keyboard is on wears the focus ring
        ring = page.locator(".level:focus-within").evaluate(
            "el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth")
        assert ring == "solid 3px", ring
        screenshot(page, "45-grading-keyboard-focus")
    _press(page, "Tab")  # its comment
    _press(page, "Tab")  # the second criterion's levels
    _pick(page, second)
    expect(page.locator("input[name=points-2-1]:checked")).to_have_value(str(second))
    expect(page.locator("output[data-total]")).to_have_text(str(first + second))
    _press(page, "Tab")  # its comment
    _press(page, "Tab")  # the overall comment
    page.keyboard.type("Graded from the keyboard.")
    _press(page, "Tab")
    expect(page.get_by_role("button", name="Save and next")).to_be_focused()
    with page.expect_navigation():
        _press(page, "Enter")


def test_ten_scripts_graded_with_the_keyboard_only(page, live_server, live_app,
                                                   scripts) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "ivan@example.org")
    todo = page.locator(".todo-list")
    expect(todo).to_contain_text("Essays to grade")
    expect(todo).to_contain_text("10 attempts waiting")
    expect(todo).to_contain_text("Requests to join")
    assert_accessible(page)
    screenshot(page, "40-todo-desktop")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "41-todo-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    follow(page, page.get_by_role("link", name="Essays to grade"))
    follow(page, page.get_by_role("link", name="Grade Learner 00's attempt"))
    assert_accessible(page)
    for n in range(SCRIPTS):
        expect(page.locator(".eyebrow")).to_contain_text(f"Learner {n:02d}")
        first, second = _levels(n)
        if n == 1:
            _grade_with_the_keyboard_shot(page, first, second)
        else:
            _grade_with_the_keyboard(page, first, second)
    expect(page.get_by_text("No other script waits for a grade.")).to_be_visible()
    screenshot(page, "44-queue-after-grading")

    with live_app.app_context():
        for n, attempt_id in enumerate(scripts):
            attempt = db.session.get(Attempt, attempt_id)
            assert attempt is not None and attempt.state == "graded"
            grade = latest_grades(attempt)["2"]
            assert [c["points"] for c in grade.criteria] == list(_levels(n))
            assert grade.comment == "Graded from the keyboard."
            assert grade.points == sum(_levels(n))  # the rubric's 6 points are the essay's


def _grade_with_the_keyboard_shot(page: Page, first: int, second: int) -> None:
    """The same, with pictures of the page at desktop and phone widths on the way, and
    the focus ring checked where the keyboard is."""
    screenshot(page, "42-grading-desktop")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "43-grading-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the grading page scrolls sideways at 360 px ({width} px)"
    page.set_viewport_size({"width": 1280, "height": 900})
    _grade_with_the_keyboard(page, first, second, look=True)
