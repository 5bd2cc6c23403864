"""Bulk actions in the browser: an instructor sees the day's work in the To do, selects
every request to join at once and accepts them, then takes the session's attendance with
the exceptions marked and the others present."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.auth.models import User
from app.auth.services import Profile, create_account
from app.classroom.models import Attendance, ClassSession
from app.classroom.services import Schedule, register_for_session, schedule_session
from app.content.models import Module
from app.core.roles import Role
from app.extensions import db
from app.learning.models import Enrolment
from app.learning.services import assign_staff, enrol
from tests.course_files import COURSE_MD
from tests.e2e.pages import PASSWORD, assert_accessible, follow, log_in, screenshot
from tests.e2e.people import make_grace, make_ivan
from tests.factories import import_folder

pytestmark = pytest.mark.e2e
LEARNERS = 5
WORKSHOP = ("---\ntitle: Gowning workshop\nmodality: classroom\nsession:\n"
            "  attendance: required\n  capacity: 12\n---\nTogether in the gowning room.\n")


@pytest.fixture
def waiting(live_app, tmp_path) -> int:
    """Five learners ask to join a course Ivan teaches; its workshop starts in a few minutes
    (on the server's real clock, which attendance follows). Returns the session's id."""
    folder = tmp_path / "aseptic-basics"
    folder.mkdir()
    (folder / "course.md").write_text(COURSE_MD.format(extra="enrolment: approval\n"))
    (folder / "01-workshop.md").write_text(WORKSHOP)
    with live_app.app_context():
        now = live_app.config["CLOCK"]()
        course = import_folder(folder, "aseptic-basics", live_app.config["CLOCK"])
        grace = make_grace(now)
        # The session starts in five minutes of the real clock (the server's), which must
        # be today on Ivan's own clock: in the last five minutes of a UTC day, his clock is
        # São Paulo's (three hours behind, no summer time).
        starts = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=5)
        zone = "UTC" if starts.date() == datetime.now(UTC).date() else "America/Sao_Paulo"
        ivan = make_ivan(now, Role.INSTRUCTOR, timezone=zone)
        assign_staff(grace, course, ivan, "instructor", now)
        for n in range(LEARNERS):
            learner = create_account(
                email=f"learner{n}@example.org", password=PASSWORD,
                profile=Profile(f"Learner {n}", "KE", f"Vaccine plant {n}"), now=now)
            enrol(learner, course, now)
        # In a few minutes: seats still open to the learners, attendance open to Ivan (from
        # an hour before), and today on his clock.
        session = schedule_session(ivan, course, Schedule(
            module=db.session.scalars(select(Module)).one(), starts_at=starts,
            ends_at=starts + timedelta(hours=2), timezone="UTC", capacity=12,
            facilitator=ivan, location="Gowning room 2"), starts - timedelta(days=1))
        db.session.commit()
        return session.id


def test_select_all_accept_and_the_others_present(page, live_server, live_app,
                                                  waiting) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "ivan@example.org")
    expect(page.locator(".todo-list")).to_contain_text("5 requests waiting")
    follow(page, page.get_by_role("link", name="Requests to join Aseptic basics"))
    select_all = page.get_by_label("Select all 5 requests")
    expect(select_all).to_be_visible()  # shown by the script; hidden without it
    select_all.check()
    expect(page.locator("input[name=request]:checked")).to_have_count(LEARNERS)
    page.get_by_role("checkbox", name="Learner 2").uncheck()
    expect(select_all).not_to_be_checked()
    page.get_by_role("checkbox", name="Learner 2").check()
    expect(select_all).to_be_checked()
    assert_accessible(page)
    screenshot(page, "46-roster-requests-desktop")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "47-roster-requests-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})
    follow(page, page.get_by_role("button", name="Decline the ticked requests"))
    expect(page.locator(".field-error")).to_have_count(LEARNERS)  # each needs its reason
    expect(page.locator("input[name=request]:checked")).to_have_count(LEARNERS)
    follow(page, page.get_by_role("button", name="Accept the ticked requests"))
    expect(page.get_by_text("5 requests accepted.")).to_be_visible()

    page.goto(f"{live_server}/")
    with live_app.app_context():  # the learners take their seats meanwhile
        session = db.session.get(ClassSession, waiting)
        assert session is not None
        for learner in db.session.scalars(select(User).join(
                Enrolment, Enrolment.user_id == User.id)):
            register_for_session(learner, session, datetime.now(UTC))
        db.session.commit()
    page.reload()
    expect(page.locator(".todo-list")).to_contain_text("Take attendance: Gowning workshop")
    expect(page.locator(".todo-list")).to_contain_text("5 learners to mark")
    screenshot(page, "48-todo-attendance")
    follow(page, page.get_by_role("link", name="Take attendance: Gowning workshop"))
    page.get_by_role("radio", name="Learner 3 Absent").check()
    page.get_by_label("Note for Learner 3").fill("Called in sick")
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "49-attendance-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "50-attendance-desktop")
    follow(page, page.get_by_role("button", name="Save, the others present"))
    expect(page.get_by_text("Attendance saved (5 changes).")).to_be_visible()
    with live_app.app_context():
        marks = {a.user_id: a.mark for a in db.session.scalars(select(Attendance))}
        assert sorted(marks.values()) == ["absent", "present", "present", "present",
                                          "present"]
