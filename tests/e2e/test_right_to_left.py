"""The Arabic interface reads from the right: `lang="ar" dir="rtl"` on every main page, the
header's brand at the right edge, arrows that point the way the page reads, nothing that
scrolls sideways on a 360 px phone, and no axe-core violation. Texts are still mostly
English until the catalogs are translated: this checks the layout.

Screenshots of each page at 1280 px and 360 px go to tests/e2e/screenshots/ (rtl-*)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect
from sqlalchemy import select

from app.auth.services import Profile, create_account
from app.content.models import Course, Module, Quiz
from app.core.roles import Role
from app.extensions import db
from app.learning.services import assign_staff, complete_module, enrol
from app.quizzes.services import start_attempt
from tests.e2e.pages import PASSWORD, WAIT_MS, assert_accessible, follow, screenshot
from tests.e2e.people import make_grace, make_ivan

pytestmark = pytest.mark.e2e
PHONE = ViewportSize(width=360, height=740)
DESKTOP = ViewportSize(width=1280, height=800)
GXP = "gxp-standard-practice"
#: How far the brand's right edge may sit from the header's content edge, and how far past
#: the middle its left edge must be, in CSS pixels.
BRAND_EDGE = """() => {
  const brand = document.querySelector(".site-header .brand").getBoundingClientRect();
  const inner = document.querySelector(".site-header .header-inner").getBoundingClientRect();
  const padding = parseFloat(getComputedStyle(document.querySelector(".header-inner"))
    .paddingInlineStart) || 0;
  return {gap: inner.right - padding - brand.right, left: brand.left,
          middle: inner.left + inner.width / 2};
}"""


@pytest.fixture
def learner_and_assessor(live_app, shipped_courses) -> dict[str, Any]:
    """Amina part-way through GxP with a quiz attempt open; Ivan teaching and assessing it."""
    with live_app.app_context():
        now = live_app.config["CLOCK"]()
        grace = make_grace(now)
        ivan = make_ivan(now, Role.INSTRUCTOR, Role.ASSESSOR)
        amina = create_account(email="amina@example.org", password=PASSWORD,
                               profile=Profile("أمينة يوسف", "JO"), now=now)
        course = db.session.scalars(select(Course).where(Course.slug == GXP)).one()
        assign_staff(grace, course, ivan, "assessor", now)
        enrol(amina, course, now)
        modules = {m.slug: m for m in db.session.scalars(
            select(Module).where(Module.course_id == course.id))}
        for slug in ("why-gxp", "good-documentation-practice"):
            complete_module(amina, modules[slug], now, via="read")
        quiz = db.session.scalars(select(Quiz).where(
            Quiz.slug == "validation-assessment")).one()
        # On the server's own clock, which keeps real time: its time limit is still ahead.
        attempt = start_attempt(amina, quiz, datetime.now(UTC))
        db.session.commit()
        return {"amina": amina.id, "attempt": attempt.id}


@pytest.fixture
def arabic(browser: Browser, live_server: str) -> Iterator[Any]:
    """A browser context that asks for Arabic (Accept-Language: ar), logged in as given. The
    form is found by its fields' names: its labels may already be translated."""
    contexts = []

    def open_as(email: str | None) -> Page:
        context = browser.new_context(viewport=DESKTOP, locale="ar")
        context.set_default_timeout(WAIT_MS)
        expect.set_options(timeout=WAIT_MS)
        contexts.append(context)
        page = context.new_page()
        if email is not None:
            page.goto(live_server + "/auth/login")
            page.locator("input[name=email]").fill(email)
            page.locator("input[name=password]").fill(PASSWORD)
            follow(page, page.locator("main form button, main form [type=submit]").first)
            expect(page.locator("form[action$='/auth/logout']")).to_be_attached()
        return page

    yield open_as
    for context in contexts:
        context.close()


def _check(page: Page, server: str, path: str, name: str) -> list[str]:
    """The page at 1280 px and at 360 px; what is wrong with it, in words."""
    problems = []
    page.set_viewport_size(DESKTOP)
    response = page.goto(server + path)
    assert response is not None and response.ok, f"{path}: {response and response.status}"
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    edge = page.evaluate(BRAND_EDGE)
    if edge["gap"] > 2 or edge["left"] < edge["middle"]:
        problems.append(f"{path}: the brand is not at the right edge ({edge})")
    assert_accessible(page)
    screenshot(page, f"rtl-{name}-1280")
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        problems.append(f"{path}: {width} px wide at 360 px")
    screenshot(page, f"rtl-{name}-360")
    assert_accessible(page)
    return problems


def test_the_main_pages_read_from_the_right(arabic, live_server, learner_and_assessor
                                             ) -> None:
    problems: list[str] = []
    visitor = arabic(None)
    for path, name in (("/", "home"), ("/catalog/", "catalog"), (f"/catalog/{GXP}/", "course")):
        problems += _check(visitor, live_server, path, name)

    learner = arabic("amina@example.org")
    lesson = f"/learning/{GXP}/modules/good-documentation-practice"
    for path, name in (
            (lesson, "lesson"),
            (f"/quizzes/attempts/{learner_and_assessor['attempt']}", "quiz-attempt"),
            ("/learning/dashboard", "dashboard"),
            (f"/records/learners/{learner_and_assessor['amina']}", "training-record")):
        problems += _check(learner, live_server, path, name)

    # An English course's lesson keeps its own direction on the Arabic page, and so do its
    # arrows to the previous and next lessons.
    learner.set_viewport_size(DESKTOP)
    learner.goto(live_server + lesson)
    expect(learner.locator(".lesson-layout")).to_have_attribute("dir", "ltr")
    expect(learner.locator("a[rel=next] .flip")).to_have_css("transform", "none")

    assessor = arabic("ivan@example.org")
    problems += _check(assessor, live_server, "/grading/", "grading-queue")

    # The interface's own arrows point the way the page reads: "back" points right.
    admin = arabic("grace@example.org")
    admin.goto(f"{live_server}/admin/users/{learner_and_assessor['amina']}")
    back = admin.locator("main a[href$='/admin/users'] .flip")
    expect(back).to_have_css("transform", "matrix(-1, 0, 0, 1, 0, 0)")
    assert problems == []
