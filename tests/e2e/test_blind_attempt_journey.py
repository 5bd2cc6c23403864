"""A shuffled assessment in the browser: a learner who picks the first choice of every
question scores at chance and does not pass; one who reads the questions scores 100 %."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.auth.services import Profile, create_account
from app.content.importer import import_courses
from app.content.loader import load_courses
from app.extensions import db
from tests.course_files import COURSE_MD, module_md
from tests.e2e.pages import assert_accessible, follow, log_in, screenshot
from tests.quizzes.test_choice_tokens import QUESTIONS, shuffled_assessment

pytestmark = pytest.mark.e2e


@pytest.fixture
def blind_course(live_app, tmp_path) -> str:
    folder = tmp_path / "aseptic-basics"
    folder.mkdir()
    (folder / "course.md").write_text(COURSE_MD.format(extra=""))
    (folder / "01-aseptic.md").write_text(module_md("Aseptic", body=shuffled_assessment()))
    with live_app.app_context():
        now = live_app.config["CLOCK"]()
        courses, problems = load_courses([folder])
        assert not problems, problems.sorted()
        import_courses(courses, now=now)
        create_account(email="amina@example.org", password="a long enough passphrase",
                       profile=Profile("Amina Yusuf", "NG"), now=now)
        db.session.commit()
    return "aseptic-basics"


def _score(page) -> float:
    text = page.locator(".score").inner_text()
    match = re.search(r"\(([\d.]+)%\)", text)
    assert match, text
    return float(match.group(1))


def test_a_blind_attempt_fails_and_an_honest_one_passes(page, live_server,
                                                        blind_course) -> None:
    log_in(page, live_server, "amina@example.org")
    page.goto(f"{live_server}/catalog/{blind_course}/")
    follow(page, page.get_by_role("button", name="Enrol"))
    expect(page.get_by_text("You are enrolled.")).to_be_visible()
    page.goto(f"{live_server}/learning/{blind_course}/modules/aseptic")
    follow(page, page.get_by_role("button", name="Start"))
    questions = page.locator("li.question")
    expect(questions).to_have_count(QUESTIONS)
    assert_accessible(page)
    for n in range(QUESTIONS):
        questions.nth(n).locator("input[type=radio]").first.check()
    values = page.locator("input[type=radio]").evaluate_all("els => els.map(e => e.value)")
    assert not any(re.fullmatch(r"\d+", value) for value in values)
    follow(page, page.get_by_role("button", name="Submit for marking"))
    expect(page.locator(".score")).to_be_visible()
    blind = _score(page)
    assert blind < 80
    expect(page.get_by_text("Not passed")).to_be_visible()
    screenshot(page, "40-blind-attempt-review")

    follow(page, page.get_by_role("link", name="Back to the module"))
    follow(page, page.get_by_role("button", name="Try again"))
    expect(questions).to_have_count(QUESTIONS)
    for n in range(1, QUESTIONS + 1):
        page.get_by_label(f"Right {n}", exact=True).check()
    page.set_viewport_size({"width": 360, "height": 740})
    screenshot(page, "41-shuffled-attempt-phone")
    follow(page, page.get_by_role("button", name="Submit for marking"))
    expect(page.get_by_text("Passed", exact=True)).to_be_visible()
    assert _score(page) == 100.0
    screenshot(page, "42-honest-attempt-review-phone")
    print(f"blind score {blind}%, honest score 100% on a shuffled {QUESTIONS}-question quiz")
