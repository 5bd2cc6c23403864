"""A trainee's first course in the browser: catalog, enrolment, a module, progress; an
approval course accepted by its instructor; a locked module that says why. axe-core checks
each main page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.auth.services import Profile, create_account
from app.content.importer import import_courses
from app.content.loader import load_courses
from app.content.models import Course
from app.core.roles import Role
from app.extensions import db
from app.learning.services import assign_staff
from tests.e2e.pages import assert_accessible, follow, log_in, log_out, screenshot
from tests.e2e.people import make_grace, make_ivan

pytestmark = pytest.mark.e2e
PASSWORD = "a long enough passphrase"
SHIPPED = Path(__file__).resolve().parents[2] / "courses"


@pytest.fixture
def catalogue(live_app):
    with live_app.app_context():
        now = live_app.config["CLOCK"]()
        courses, problems = load_courses([SHIPPED])
        assert not problems
        import_courses(courses, now=now)
        admin = make_grace(now)
        ivan = make_ivan(now, Role.INSTRUCTOR)
        marathon = db.session.scalars(select(Course).where(
            Course.slug == "gmp-vaccine-marathon")).one()
        assign_staff(admin, marathon, ivan, "instructor", now)
        db.session.commit()


def test_register_enrol_read_complete_and_see_progress(page, live_server, catalogue) -> None:
    page.goto(live_server + "/auth/register")
    page.get_by_label("Full name").fill("Amina Yusuf")
    page.get_by_label("E-mail address").fill("amina@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Country").select_option(label="Nigeria")
    follow(page, page.get_by_role("button", name="Create account"))

    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Courses"))
    expect(page.get_by_text("6 courses")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Modality").select_option("hands-on")
    follow(page, page.get_by_role("button", name="Find"))
    expect(page.get_by_text("4 courses", exact=True)).to_be_visible()
    screenshot(page, "10-catalog")
    follow(page, page.get_by_role("link", name="GxP Standard Practice"))
    assert_accessible(page)
    follow(page, page.get_by_role("button", name="Enrol"))
    expect(page.get_by_text("You are enrolled.")).to_be_visible()
    screenshot(page, "11-course-enrolled")

    follow(page, page.get_by_role("link", name="Start the course"))
    expect(page.get_by_role("heading", name="You will be able to")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "12-module")
    follow(page, page.get_by_role("button", name="Mark as complete"))
    expect(page.get_by_text("is complete.")).to_be_visible()

    follow(page, page.get_by_role("link", name="My learning"))
    expect(page.get_by_text("20% complete")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "13-dashboard")

    # A module whose prerequisites are not done says what to finish first.
    page.goto(live_server + "/learning/gxp-standard-practice/modules/validation-basics")
    expect(page.get_by_role("heading", name="This module is locked")).to_be_visible()
    expect(page.get_by_text(
        "Finish these modules first: Good documentation practice")).to_be_visible()
    screenshot(page, "14-locked-module")
    # A link saved before modules had their own segment lands on the same page.
    page.goto(live_server + "/courses/gxp-standard-practice/validation-basics?from=bookmark")
    assert page.url == (live_server
                        + "/learning/gxp-standard-practice/modules/validation-basics?from=bookmark")
    expect(page.get_by_role("heading", name="This module is locked")).to_be_visible()


def test_an_instructor_accepts_a_request(page, live_server, live_app, catalogue) -> None:
    with live_app.app_context():
        create_account(email="kim@example.org", password=PASSWORD,
                       profile=Profile("Kim Min-jun", "KR", "K-Bio"),
                       now=live_app.config["CLOCK"]())
        db.session.commit()
    log_in(page, live_server, "kim@example.org")
    page.goto(live_server + "/catalog/gmp-vaccine-marathon/")
    follow(page, page.get_by_role("button", name="Ask to join"))
    expect(page.get_by_text("Your request is sent.")).to_be_visible()
    log_out(page)

    log_in(page, live_server, "ivan@example.org")
    page.goto(live_server + "/learning/gmp-vaccine-marathon/roster")
    expect(page.get_by_role("heading", name="Requests to join")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "15-roster-request")
    page.get_by_role("checkbox", name="Kim Min-jun").check()
    follow(page, page.get_by_role("button", name="Accept the ticked requests"))
    expect(page.get_by_text("1 request accepted.")).to_be_visible()
    expect(page.get_by_role("row", name="Kim Min-jun")).to_be_visible()
    log_out(page)

    log_in(page, live_server, "kim@example.org")
    page.goto(live_server + "/catalog/gmp-vaccine-marathon/")
    expect(page.get_by_text("0% complete")).to_be_visible()
