"""A programme officer opens an intake's report in the browser: the published-style list of
countries, the SVG charts drawn, axe-core clean, no sideways scrolling at 360 px, a picture
at each width; the other centre's administrator gets 403; the network administrator opens
the network report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import Flask
from playwright.sync_api import Page, expect

from app.auth.services import Profile, create_account
from app.content.models import Course
from app.core.roles import Role
from app.extensions import db
from tests.e2e.pages import (
    CHARTS_DRAWN,
    PASSWORD,
    assert_accessible,
    log_in,
    log_out,
    screenshot,
)
from tests.reports import data
from tests.reports.data import COUNTRIES, GENDERS, ORGANISATIONS, REPORT_MODULES, Trainee


def _intake(make_course: Callable[..., Course], now: datetime) -> int:
    course = make_course("report-course", REPORT_MODULES, hours=4.5)
    officer, other, facilitator = (
        create_account(email=email, password=PASSWORD, profile=Profile(name, "KE"),
                       roles=[Role.INSTRUCTOR], now=now)
        for email, name in (("olga@example.org", "Olga Officer"),
                            ("bruno@example.org", "Bruno Other"),
                            ("fatou@example.org", "Fatou Facilitator")))
    centre, second = data.make_centre("ACC", now), data.make_centre("BCC", now, country="BR")
    data.give_centre_role(officer, centre, "programme_officer", now)
    data.give_centre_role(other, second, "centre_admin", now)
    intake = data.make_intake(centre, [course], now)
    ids = data.add_trainees(intake, [Trainee(c, o, g) for c, o, g in
                                     zip(COUNTRIES, ORGANISATIONS, GENDERS, strict=True)], now)
    data.fill_intake(intake, course, centre, ids, facilitator, now)
    create_account(email="grace@example.org", password=PASSWORD,
                   profile=Profile("Grace Admin", "GH"), roles=[Role.ADMIN], now=now)
    db.session.commit()
    return intake.id


def test_an_intake_report_in_the_browser(page: Page, live_server: str, live_app: Flask,
                                         make_course: Callable[..., Course],
                                         clock: Callable[[], datetime]) -> None:
    intake_id = _intake(make_course, clock())
    log_in(page, live_server, "olga@example.org")
    page.goto(f"{live_server}/reports/intakes/{intake_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Intake report")
    expect(page.locator(".country-line")).to_have_text(
        "Argentina (5), Bangladesh (4), Botswana (6), South Korea (3)")
    expect(page.locator(".report-chart img")).to_have_count(6)
    page.wait_for_function(CHARTS_DRAWN)
    expect(page.get_by_role("region", name="From enrolment to certificate")).to_contain_text(
        "88.9%")
    assert_accessible(page)
    screenshot(page, "reports-intake-desktop")

    page.set_viewport_size({"width": 360, "height": 780})
    page.reload()
    page.wait_for_function(CHARTS_DRAWN)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    widths = page.evaluate("Array.from(document.querySelectorAll('.report-chart img'))"
                           ".map(img => img.getBoundingClientRect().width)")
    assert all(200 < width <= 360 for width in widths), widths
    screenshot(page, "reports-intake-360")

    page.set_viewport_size({"width": 1100, "height": 800})
    log_out(page)
    log_in(page, live_server, "bruno@example.org")
    response = page.goto(f"{live_server}/reports/intakes/{intake_id}")
    assert response is not None and response.status == 403

    log_out(page)
    log_in(page, live_server, "grace@example.org")
    page.goto(f"{live_server}/reports/network")
    expect(page.get_by_role("heading", level=1)).to_have_text("Network report")
    page.wait_for_function(CHARTS_DRAWN)
    assert_accessible(page)
    screenshot(page, "reports-network-desktop")
