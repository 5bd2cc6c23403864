"""Every main page of every role fits a 360 px phone: nothing makes the page scroll sideways
(wide tables scroll in their own box, pictures scale, the header folds into a menu).

The pages are opened with the shipped courses and the data of a running intake, built
through the services: a learner part-way through every course with an open quiz attempt, a
submitted one and an essay waiting for grading, a seat at a live session, a hands-on
assessment under way; an instructor and assessor of every course; an administrator. Each
role has one browser context and logs in once. Every page that is too wide is reported at
once, with its width; a screenshot of each page at 360 px goes to tests/e2e/screenshots/,
and of the pages with the header at 1280 px."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from tests.e2e.intake import DRAFT
from tests.e2e.pages import WAIT_MS, assert_accessible, log_in, screenshot

pytestmark = pytest.mark.e2e
#: Lessons with tables in their stored HTML, checked with axe-core too.
TABLE_LESSONS = ("/learning/biologics-manufacturing/modules/cell-banks",
                 "/learning/gmp-vaccine-marathon/modules/gmp-principles")
PHONE = ViewportSize(width=360, height=740)
DESKTOP = ViewportSize(width=1280, height=800)
WIDTH = "document.documentElement.scrollWidth"
#: The outermost elements that reach past the screen's edge, to name in a failure.
OVERFLOWING = """() => {
  const edge = document.documentElement.clientWidth + 1;
  const name = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + [...e.classList].map((c) => "." + c).join("");
  const clipped = (e) => {
    for (let a = e.parentElement; a !== null; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  return [...document.body.querySelectorAll("*")].filter((e) => {
    const parent = e.parentElement;
    return e.getBoundingClientRect().right > edge && parent !== null
      && (parent.getBoundingClientRect().right <= edge || !clipped(parent))
      && !clipped(e);
  }).slice(0, 3).map((e) => name(e.parentElement) + " > " + name(e)
    + " (" + Math.round(e.getBoundingClientRect().right) + " px)");
}"""
@pytest.fixture
def as_role(browser: Browser, live_server: str) -> Iterator[Any]:
    """A phone-sized browser context per role, logged in once (None: anonymous)."""
    contexts: list[BrowserContext] = []

    def open_as(email: str | None) -> Page:
        context = browser.new_context(viewport=PHONE, locale="en-GB")
        context.set_default_timeout(WAIT_MS)
        contexts.append(context)
        page = context.new_page()
        if email is not None:
            page.set_viewport_size(DESKTOP)
            log_in(page, live_server, email)
            expect(page.get_by_role("button", name="Log out")).to_be_attached()
            page.set_viewport_size(PHONE)
        return page

    yield open_as
    for context in contexts:
        context.close()


class Widths:
    """Opens pages at 360 px and keeps every one that is wider than the phone."""

    def __init__(self, server: str) -> None:
        self.server = server
        self.too_wide: list[str] = []
        self.seen = 0

    def check(self, page: Page, path: str, name: str, *, desktop: bool = False,
              axe: bool = False) -> None:
        response = page.goto(self.server + path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        self.seen += 1
        width = page.evaluate(WIDTH)
        if width > PHONE["width"]:
            culprits = ", ".join(page.evaluate(OVERFLOWING))
            self.too_wide.append(f"{path}: {width} px ({culprits})")
        screenshot(page, f"phone-{name}")
        if axe:
            assert_accessible(page)
        if desktop:
            page.set_viewport_size(DESKTOP)
            screenshot(page, f"phone-{name}-1280")
            if axe:
                assert_accessible(page)
            page.set_viewport_size(PHONE)


def _first_link(page: Page, server: str, path: str, contains: str) -> str:
    page.goto(server + path)
    href = page.locator(f"main a[href*='{contains}']").first.get_attribute("href")
    assert href, f"no link with {contains} on {path}"
    return href


def test_every_main_page_fits_a_phone(as_role, live_server, intake) -> None:
    widths = Widths(live_server)
    vaccinology = "/catalog/vaccinology-essentials/"

    anonymous = as_role(None)
    for path, name in (("/", "home"), ("/catalog/", "catalog"),
                       (vaccinology, "course-anonymous"), ("/auth/login", "login"),
                       ("/auth/register", "register"), ("/certificates/verify/", "verify")):
        widths.check(anonymous, path, name, desktop=name in ("home", "login"), axe=True)

    learner = as_role("amina@example.org")
    widths.check(learner, "/learning/dashboard", "dashboard", desktop=True, axe=True)
    for slug in intake["courses"]:
        widths.check(learner, f"/catalog/{slug}/", f"course-{slug}", axe=slug in vaccinology)
    for path in intake["lessons"]:
        widths.check(learner, path, "module-" + path.split("/")[2] + "-" + path.split("/")[-1],
                     axe=path in TABLE_LESSONS)
    expect(learner.get_by_role("region", name="Table: Course map")).to_have_count(0)
    learner.goto(live_server + vaccinology)
    course_map = learner.get_by_role("region", name="Table: Course map")
    expect(course_map).to_be_visible()
    course_map.focus()
    expect(course_map).to_be_focused()
    widths.check(learner, f"/quizzes/attempts/{intake['under_way']}", "quiz-attempt")
    widths.check(learner, f"/quizzes/attempts/{intake['scored']}/review", "quiz-review")
    widths.check(learner, f"/records/learners/{intake['amina']}", "training-record", axe=True)
    widths.check(learner, "/auth/profile", "profile")
    widths.check(learner, f"/classroom/{intake['session']}/", "live-session")

    instructor = as_role("ivan@example.org")
    for slug in intake["courses"]:
        widths.check(instructor, f"/catalog/{slug}/manage", f"manage-{slug}")
    gxp = "gxp-standard-practice"
    widths.check(instructor, f"/learning/{gxp}/roster", "roster", desktop=True, axe=True)
    expect(instructor.get_by_text("2 learners", exact=False)).to_be_visible()
    widths.check(instructor, f"/classroom/courses/{gxp}/schedule", "schedule")
    widths.check(instructor, "/authoring/", "authoring", axe=True)
    widths.check(instructor, f"/authoring/{DRAFT}/", "authoring-overview", axe=True)
    editor = _first_link(instructor, live_server, f"/authoring/{DRAFT}/", "/files/")
    widths.check(instructor, editor, "authoring-editor")
    widths.check(instructor, f"/authoring/{DRAFT}/preview/", "authoring-preview")

    assessor = instructor  # Ivan assesses the courses he teaches
    widths.check(assessor, "/grading/", "grading-queue", desktop=True, axe=True)
    expect(assessor.get_by_role("link", name="Grade Amina Yusuf's attempt")).to_be_visible()
    widths.check(assessor, f"/grading/attempts/{intake['essay']}", "grading-page")
    widths.check(assessor, f"/grading/{gxp}/gradebook", "gradebook", axe=True)
    widths.check(assessor, f"/classroom/{intake['session']}/attendance", "attendance",
                 desktop=True, axe=True)
    for mark in ("Present", "Late", "Absent", "Excused"):
        expect(assessor.locator("td.mark label", has_text=mark)).to_be_visible()
    widths.check(assessor, "/practicals/courses/qc-laboratory-biologics/",
                 "practicals-overview", axe=True)
    widths.check(assessor, f"/practicals/{intake['assessment']}/", "practical-assessment")

    admin = as_role("grace@example.org")
    widths.check(admin, "/admin/users", "accounts", desktop=True, axe=True)
    widths.check(admin, "/records/events", "audit-events", desktop=True, axe=True)
    widths.check(admin, "/certificates/manage", "certificates", desktop=True, axe=True)
    widths.check(admin, f"/learning/{gxp}/staff", "staff")

    assert widths.too_wide == [], (
        f"{len(widths.too_wide)} of {widths.seen} pages are wider than 360 px:\n"
        + "\n".join(widths.too_wide))


def test_the_admin_header_is_one_row_at_1280(as_role, live_server, intake) -> None:
    admin = as_role("grace@example.org")
    admin.set_viewport_size(DESKTOP)
    admin.goto(live_server + "/admin/users")
    main = admin.get_by_role("navigation", name="Main")
    expect(main.get_by_role("link", name="Certificates")).to_be_visible()
    tops = {round(box["y"]) for link in main.get_by_role("link").all()
            if (box := link.bounding_box()) is not None}
    account = admin.get_by_role("navigation", name="Account").bounding_box()
    assert account is not None and len(tops) == 1, tops
    header = admin.locator(".site-header").bounding_box()
    assert header is not None and header["height"] < 80, header


def test_the_phone_header_is_one_short_row(as_role, live_server, intake) -> None:
    learner = as_role("amina@example.org")
    learner.goto(live_server + intake["workshop"])
    header = learner.locator(".site-header").bounding_box()
    assert header is not None and header["height"] < 64, header
    expect(learner.get_by_role("navigation", name="Main")).to_be_hidden()
    learner.locator("summary", has_text="Menu").click()
    expect(learner.get_by_role("navigation", name="Main").get_by_role(
        "link", name="My training record")).to_be_visible()
    expect(learner.get_by_role("button", name="Log out")).to_be_visible()
    screenshot(learner, "phone-menu-open")
    assert_accessible(learner)
    assert learner.evaluate(WIDTH) <= PHONE["width"]
