"""The GxP written assessment: a learner answers, including two essays, and submits; an
assessor grades against the rubric and releases the grade with a signature; the learner sees
the score, and the module is complete."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.auth.services import Profile, create_account
from app.content.importer import import_courses
from app.content.loader import load_courses
from app.content.models import Course, Module
from app.core.roles import Role
from app.extensions import db
from app.learning.services import assign_staff, complete_module, enrol
from tests.e2e.pages import assert_accessible, follow, log_in, log_out, screenshot
from tests.e2e.people import make_grace, make_ivan

pytestmark = pytest.mark.e2e
SHIPPED = Path(__file__).resolve().parents[2] / "courses"
PASSWORD = "a long enough passphrase"
MODULE = "/learning/gxp-standard-practice/modules/deviation-workshop"


@pytest.fixture
def ready(live_app):
    """Amina has finished the modules before the workshop; Ivan assesses the course."""
    with live_app.app_context():
        now = live_app.config["CLOCK"]()
        courses, _ = load_courses([SHIPPED])
        import_courses(courses, now=now)
        grace = make_grace(now)
        ivan = make_ivan(now, Role.ASSESSOR)
        amina = create_account(email="amina@example.org", password=PASSWORD,
                               profile=Profile("Amina Yusuf", "NG"), now=now)
        course = db.session.scalars(select(Course).where(
            Course.slug == "gxp-standard-practice")).one()
        assign_staff(grace, course, ivan, "assessor", now)
        enrol(amina, course, now)
        modules = {m.slug: m for m in db.session.scalars(select(Module))}
        for slug, via in (("why-gxp", "read"), ("good-documentation-practice", "read"),
                          ("validation-basics", "assessment")):
            complete_module(amina, modules[slug], now, via=via)
        db.session.commit()


def _words(n: int) -> str:
    return " ".join(["The buffer was used beyond its validated hold time"] * (n // 9 + 1))


def test_essay_graded_released_and_module_passed(page, live_server, ready) -> None:
    log_in(page, live_server, "amina@example.org")
    page.goto(live_server + MODULE)
    follow(page, page.get_by_role("button", name="Start"))
    page.get_by_label("Microbial growth before filtration", exact=False).check()
    essays = page.locator("textarea")
    essays.nth(0).fill(_words(100))
    essays.nth(1).fill(_words(150))
    follow(page, page.get_by_role("button", name="Submit for marking"))
    expect(page.get_by_text("An assessor will grade your written answers")).to_be_visible()
    log_out(page)

    log_in(page, live_server, "ivan@example.org")
    follow(page, page.get_by_role("link", name="Grading"))
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="Grade Amina Yusuf's attempt"))
    criteria = page.locator("fieldset.criterion")
    expect(criteria.first).to_be_visible()
    for index in range(criteria.count()):
        criteria.nth(index).locator("input[type=radio]").last.check()  # the top level
    page.get_by_label("Overall comment for the learner").first.fill("Clear and complete.")
    screenshot(page, "18-grading")
    follow(page, page.get_by_role("button", name="Save grades"))
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand").check()
    follow(page, page.get_by_role("button", name="Sign and release"))
    expect(page.get_by_text("1 grade released to the learners.")).to_be_visible()
    log_out(page)

    log_in(page, live_server, "amina@example.org")
    page.goto(live_server + MODULE)
    expect(page.get_by_text("You passed this assessment.")).to_be_visible()
    follow(page, page.get_by_role("link", name="Attempt 1"))
    expect(page.get_by_text("Clear and complete.")).to_be_visible()
    expect(page.get_by_text("Passed", exact=True)).to_be_visible()
    screenshot(page, "19-graded-result")
