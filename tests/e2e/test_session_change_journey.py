"""A live session moved, then cancelled: the instructor changes its time on the schedule
form, then cancels it with a reason (refused first without one); its page says so plainly;
the learner holding a seat finds both on her notifications page. Each page is pictured at
1100 px and at 360 px, where none scrolls sideways."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.auth.services import Profile, create_account
from app.classroom.models import ClassSession
from app.classroom.services import Schedule, register_for_session, schedule_session
from app.content.models import Course, Module
from app.core.roles import Role
from app.extensions import db
from app.learning.services import assign_staff, enrol
from tests.e2e.pages import (
    PASSWORD,
    assert_accessible,
    follow,
    log_in,
    log_out,
    pictured,
)
from tests.e2e.people import make_grace, make_ivan

pytestmark = pytest.mark.e2e
COURSE = "gxp-standard-practice"
SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture
def session_id(live_app, shipped_courses) -> int:
    """The GxP workshop three days on, 09:00 to 11:00 in Seoul; Ivan teaches the course and
    Amina holds a seat."""
    with live_app.app_context():
        now = live_app.config["CLOCK"]()
        grace = make_grace(now)
        ivan = make_ivan(now, Role.INSTRUCTOR, timezone="Asia/Seoul")
        course = db.session.scalar(select(Course).where(Course.slug == COURSE))
        assert course is not None
        assign_staff(grace, course, ivan, "instructor", now)
        amina = create_account(email="amina@example.org", password=PASSWORD,
                               profile=Profile("Amina Yusuf", "NG", timezone="Asia/Seoul"),
                               now=now)
        enrol(amina, course, now)
        workshop = db.session.scalar(select(Module).where(
            Module.course_id == course.id, Module.slug == "deviation-workshop"))
        assert workshop is not None
        day = (datetime.now(UTC) + timedelta(days=3)).astimezone(SEOUL).date()
        starts = datetime(day.year, day.month, day.day, 9, tzinfo=SEOUL).astimezone(UTC)
        session = schedule_session(ivan, course, Schedule(
            workshop, starts, starts + timedelta(hours=2), "Asia/Seoul", 12, ivan,
            location="Seminar room 3, Songdo campus"), now)
        register_for_session(amina, session, now)
        db.session.commit()
        return session.id


def test_an_instructor_moves_then_cancels_a_session_and_the_learner_hears_of_both(
        page: Page, live_server: str, live_app, session_id: int) -> None:
    session_url = f"{live_server}/classroom/{session_id}/"

    # Ivan moves the workshop to the afternoon.
    log_in(page, live_server, "ivan@example.org")
    page.goto(session_url)
    follow(page, page.get_by_role("link", name="Change", exact=True))
    expect(page.get_by_label("Starts at")).to_have_value("09:00")
    page.get_by_label("Starts at").fill("14:00")
    page.get_by_label("Ends at").fill("13:00")
    follow(page, page.get_by_role("button", name="Save the changes"))
    expect(page.get_by_text("The session must end after it starts.")).to_be_visible()
    page.get_by_label("Ends at").fill("16:00")
    assert_accessible(page)
    pictured(page, "30-session-change")
    follow(page, page.get_by_role("button", name="Save the changes"))
    expect(page.get_by_text("The session is changed, and 1 learner is told.")).to_be_visible()
    expect(page.get_by_text("14:00 to 16:00").first).to_be_visible()

    # Then cancels it: a reason is needed.
    follow(page, page.get_by_role("link", name="Cancel session"))
    expect(page.get_by_text("1 learner holds a seat", exact=False)).to_be_visible()
    follow(page, page.get_by_role("button", name="Cancel the session"))
    expect(page.get_by_text("Give the reason: the learners read it.")).to_be_visible()
    page.get_by_label("Reason").fill("The cleanroom failed its environmental monitoring.")
    assert_accessible(page)
    pictured(page, "31-session-cancel")
    follow(page, page.get_by_role("button", name="Cancel the session"))
    expect(page.get_by_text("This session is cancelled.", exact=True)).to_be_visible()
    expect(page.get_by_text(
        "Reason: The cleanroom failed its environmental monitoring.")).to_be_visible()
    expect(page.get_by_role("link", name="Change", exact=True)).to_have_count(0)
    assert_accessible(page)
    pictured(page, "32-session-cancelled")
    log_out(page)
    with live_app.app_context():
        session = db.session.get(ClassSession, session_id)
        assert session is not None
        assert session.sequence == 2 and session.cancelled_at is not None

    # Amina reads both notices, newest first.
    log_in(page, live_server, "amina@example.org")
    page.goto(f"{live_server}/notifications/")
    entries = page.locator(".notification")
    expect(entries).to_have_count(2)
    expect(entries.nth(0)).to_contain_text("Cancelled: Deviation investigation workshop")
    expect(entries.nth(0)).to_contain_text("is cancelled")
    expect(entries.nth(1)).to_contain_text("Changed: Deviation investigation workshop")
    expect(entries.nth(1)).to_contain_text("moves to")
    expect(entries.nth(1)).to_contain_text("14:00 to 16:00")
    assert_accessible(page)
    pictured(page, "33-notifications-changed-cancelled")
    page.goto(session_url)
    expect(page.get_by_text("This session is cancelled.", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Give up my seat")).to_have_count(0)
