"""Finding things (issue 17): the catalog searches the lessons of the shipped courses;
registration proposes the country's time zone; a live module's next dates sit under its
title with a Register button. Checked with axe-core and pictured at 1280 and 360 px."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, ViewportSize, expect
from sqlalchemy import select

from app.auth.services import Profile, create_account
from app.classroom.services import Schedule, schedule_session
from app.content.models import Course, Module
from app.core.roles import Role
from app.extensions import db
from app.learning.services import assign_staff, enrol
from tests.e2e.pages import PASSWORD, assert_accessible, follow, log_in, screenshot
from tests.e2e.people import make_grace, make_ivan

pytestmark = pytest.mark.e2e
PHONE = ViewportSize(width=360, height=740)
DESKTOP = ViewportSize(width=1280, height=800)


def _both_sizes(page: Page, name: str) -> None:
    page.set_viewport_size(DESKTOP)
    assert_accessible(page)
    screenshot(page, name)
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "scrolls sideways"
    screenshot(page, f"{name}-phone")
    page.set_viewport_size(DESKTOP)


def _search(page: Page, server: str, text: str) -> None:
    page.goto(server + "/catalog/")
    page.get_by_label("Search").fill(text)
    follow(page, page.get_by_role("button", name="Find"))


def test_the_catalog_finds_words_in_lessons(page: Page, live_server: str,
                                            shipped_courses: None) -> None:
    _search(page, live_server, "endotoxin")
    cards = page.locator(".card")
    expect(cards.first.get_by_role("heading")).to_be_visible()
    expect(page.get_by_text("found for “endotoxin”")).to_be_visible()
    expect(page.locator(".search-matches mark").first).to_have_text("endotoxin",
                                                                    ignore_case=True)
    _both_sizes(page, "80-search-endotoxin")

    _search(page, live_server, '"lot release"')
    expect(page.locator(".search-matches mark").first).to_be_visible()
    expect(page.get_by_role("link", name="Vaccinology Essentials Across the Vaccine Life Cycle")
           ).to_be_visible()

    _search(page, live_server, "mRNA")
    expect(page.get_by_role("link", name="mRNA vaccine manufacturing", exact=False).first
           ).to_be_visible()

    _search(page, live_server, '*** -- "" :')
    expect(page.get_by_text("No course matches.")).to_be_visible()
    _both_sizes(page, "81-search-nothing")


def test_registration_proposes_the_country_s_time_zone(page: Page, live_server: str,
                                                       live_app: object) -> None:
    page.goto(live_server + "/auth/register")
    zone = page.get_by_label("Time zone")
    page.get_by_label("Country").select_option(label="South Korea")
    expect(zone).to_have_value("Asia/Seoul")
    page.get_by_label("Country").select_option(label="Brazil")
    expect(zone).to_have_value("")
    expect(zone.locator("option").first).to_have_text("Choose your time zone in Brazil…")
    expect(zone.locator('optgroup[label="Time zones of Brazil"] option')).to_have_count(16)
    _both_sizes(page, "82-register-zones")
    zone.select_option("America/Manaus")
    page.get_by_label("Full name").fill("Ana Souza")
    page.get_by_label("E-mail address").fill("ana@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name="Create account"))
    expect(page.get_by_role("heading", name="Welcome, Ana Souza")).to_be_visible()
    page.goto(live_server + "/auth/profile")
    expect(page.get_by_label("Time zone")).to_have_value("America/Manaus")


@pytest.fixture
def workshop_dates(live_app, shipped_courses) -> None:
    """Amina is enrolled in the GxP course; its workshop has two dates ahead."""
    with live_app.app_context():
        now = datetime.now(UTC)
        grace = make_grace(now)
        ivan = make_ivan(now, Role.INSTRUCTOR)
        amina = create_account(email="amina@example.org", password=PASSWORD,
                               profile=Profile("Amina Yusuf", "NG", timezone="Africa/Lagos"),
                               now=now)
        course = db.session.scalar(select(Course).where(Course.slug == "gxp-standard-practice"))
        assert course is not None
        assign_staff(grace, course, ivan, "instructor", now)
        enrol(amina, course, now)
        workshop = db.session.scalar(select(Module).where(
            Module.course_id == course.id, Module.slug == "deviation-workshop"))
        assert workshop is not None
        for days in (3, 10):
            start = (now + timedelta(days=days)).replace(hour=8, minute=0, second=0,
                                                         microsecond=0)
            schedule_session(ivan, course, Schedule(
                workshop, start, start + timedelta(hours=3), "Africa/Lagos", None, ivan,
                location="Seminar room 3"), now)
        db.session.commit()


def test_a_live_module_shows_its_next_dates_under_its_title(
        page: Page, live_server: str, workshop_dates: None) -> None:
    log_in(page, live_server, "amina@example.org")
    page.goto(live_server + "/learning/gxp-standard-practice/modules/deviation-workshop")
    dates = page.get_by_role("region", name="Live session: next dates")
    expect(dates).to_be_visible()
    expect(dates.get_by_role("button", name="Register")).to_have_count(2)
    _both_sizes(page, "83-module-next-dates")
    follow(page, dates.get_by_role("button", name="Register").first)
    expect(page.get_by_text("You have a seat.")).to_be_visible()
    page.go_back()
    page.reload()
    expect(page.get_by_role("region", name="Live session: next dates").get_by_text(
        "You have a seat")).to_be_visible()
