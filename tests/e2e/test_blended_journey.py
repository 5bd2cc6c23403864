"""Blended learning end to end: an instructor schedules a classroom session; two learners
race for its last seat, one is waitlisted and promoted after a cancellation; the facilitator
takes attendance; an assessor signs off the gowning checklist with a password; the course
completes; the certificate downloads, and its QR code leads to a page that says valid, then
revoked."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import zxingcpp
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from app.auth.services import Profile, create_account
from app.classroom.models import ClassSession
from app.classroom.services import (
    Mark,
    Schedule,
    record_attendance,
    register_for_session,
    schedule_session,
)
from app.content.models import Course, Module, Quiz
from app.core.roles import Role
from app.extensions import db
from app.learning.services import assign_staff, complete_module, enrol
from app.quizzes.models import Attempt
from tests.e2e.pages import assert_accessible, follow, log_in, log_out, screenshot
from tests.e2e.people import make_grace, make_ivan

pytestmark = pytest.mark.e2e
PASSWORD = "a long enough passphrase"
COURSE = "gxp-standard-practice"
LEARNERS = (("amina@example.org", "Amina Yusuf", "NG"), ("kim@example.org", "Kim Min-jun", "KR"),
            ("sara@example.org", "Sara Haile", "ET"))


@pytest.fixture
def ready(live_app, shipped_courses):
    """Ivan teaches and assesses the GxP course. Three learners are enrolled. Amina has done
    everything but the workshop's attendance and the gowning sign-off: the virtual modules,
    the workshop's written assessment (passed), and the gowning session (attended)."""
    with live_app.app_context():
        now = live_app.config["CLOCK"]()
        grace = make_grace(now)
        ivan = make_ivan(now, Role.INSTRUCTOR, Role.ASSESSOR)
        course = db.session.scalar(select(Course).where(Course.slug == COURSE))
        assert course is not None
        assign_staff(grace, course, ivan, "instructor", now)
        assign_staff(grace, course, ivan, "assessor", now)
        learners = [create_account(email=email, password=PASSWORD,
                                   profile=Profile(name, country), now=now)
                    for email, name, country in LEARNERS]
        for learner in learners:
            enrol(learner, course, now)
        amina = learners[0]
        modules = {m.slug: m for m in db.session.scalars(select(Module).where(
            Module.course_id == course.id))}
        for slug, via in (("why-gxp", "read"), ("good-documentation-practice", "read"),
                          ("validation-basics", "assessment")):
            complete_module(amina, modules[slug], now, via=via)
        report = db.session.scalar(select(Quiz).where(Quiz.slug == "deviation-report"))
        assert report is not None
        db.session.add(Attempt(quiz_id=report.id, user_id=amina.id, number=1, state="graded",
                               started_at=now, submitted_at=now, snapshot=[], score=20,
                               max_score=20, percent=100, passed=True, graded_at=now,
                               released_at=now, finished_by="learner"))
        gowning_day = now + timedelta(days=1)
        gowning = schedule_session(ivan, course, Schedule(
            modules["aseptic-gowning-practical"], gowning_day, gowning_day + timedelta(hours=2),
            "Asia/Seoul", None, ivan, location="Training cleanroom B"), now)
        register_for_session(amina, gowning, now)
        record_attendance(ivan, gowning, {amina.id: Mark("present")}, gowning_day)
        db.session.commit()


def _session_time() -> tuple[str, str, str, str]:
    """Half an hour from now, in a time zone where the one-hour session stays on one day:
    registration is still open and attendance (from an hour before) already is."""
    start = datetime.now(UTC) + timedelta(minutes=30)
    for zone in ("Asia/Seoul", "Africa/Lagos", "America/Sao_Paulo", "Pacific/Honolulu"):
        local = start.astimezone(ZoneInfo(zone))
        if (local + timedelta(hours=1)).date() == local.date():
            return (zone, local.strftime("%Y-%m-%d"), local.strftime("%H:%M"),
                    (local + timedelta(hours=1)).strftime("%H:%M"))
    raise AssertionError("no time zone keeps the session on one day")


def test_blended_course_to_verified_certificate(page, live_server, live_app,
                                                ready) -> None:
    zone, day, start, end = _session_time()

    # The instructor schedules the workshop with two seats.
    log_in(page, live_server, "ivan@example.org")
    page.goto(f"{live_server}/catalog/{COURSE}/")
    follow(page, page.get_by_role("link", name="Live sessions: none coming up, schedule them"))
    follow(page, page.get_by_role("link", name="Schedule a session"))
    page.get_by_label("Module").select_option(label="Deviation investigation workshop (classroom)")
    page.get_by_label("Date").fill(day)
    page.get_by_label("Starts at").fill(start)
    page.get_by_label("Ends at").fill(end)
    page.get_by_label("Time zone of these times").select_option(zone)
    page.get_by_label("Seats").fill("2")
    page.get_by_label("Room or place").fill("Seminar room 3, Songdo campus")
    assert_accessible(page)
    screenshot(page, "20-schedule-session")
    follow(page, page.get_by_role("button", name="Schedule"))
    expect(page.get_by_text("The session is scheduled.")).to_be_visible()
    session_url = page.url
    log_out(page)
    with live_app.app_context():
        session = db.session.scalar(select(ClassSession).where(
            ClassSession.location == "Seminar room 3, Songdo campus"))
        assert session is not None and session.capacity == 2

    # Sara takes the first seat; Amina and Kim race for the last one.
    for email in ("sara@example.org", "amina@example.org"):
        log_in(page, live_server, email)
        page.goto(session_url)
        follow(page, page.get_by_role("button", name="Register"))
        expect(page.get_by_text("You have a seat.")).to_be_visible()
        log_out(page)
    log_in(page, live_server, "kim@example.org")
    page.goto(session_url)
    follow(page, page.get_by_role("button", name="Join the waitlist"))
    expect(page.get_by_text("Waitlist: place 1")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "21-session-waitlisted")
    log_out(page)

    # Sara cancels: Kim moves up.
    log_in(page, live_server, "sara@example.org")
    page.goto(session_url)
    follow(page, page.get_by_role("button", name="Give up my seat"))
    expect(page.get_by_text("Your registration is cancelled.")).to_be_visible()
    log_out(page)
    log_in(page, live_server, "kim@example.org")
    page.goto(live_server + "/learning/dashboard")
    expect(page.get_by_text("Upcoming live sessions")).to_be_visible()
    page.goto(session_url)
    expect(page.get_by_text("You have a seat")).to_be_visible()
    log_out(page)

    # The facilitator takes attendance.
    log_in(page, live_server, "ivan@example.org")
    page.goto(session_url)
    follow(page, page.get_by_role("link", name="Attendance"))
    page.get_by_role("radio", name="Amina Yusuf Present").check()
    page.get_by_role("radio", name="Kim Min-jun Late").check()
    page.get_by_label("Note for Kim Min-jun").fill("arrived 15 minutes late")
    assert_accessible(page)
    screenshot(page, "22-attendance")
    follow(page, page.get_by_role("button", name="Save attendance"))
    expect(page.get_by_text("Attendance saved (2 changes).")).to_be_visible()

    # The assessor signs off Amina's gowning, from the course's staff pages.
    page.goto(f"{live_server}/catalog/{COURSE}/")
    screenshot(page, "22a-course-for-staff")
    follow(page, page.get_by_role("link", name="Manage course"))
    expect(page.get_by_role("heading", name="Manage course")).to_be_visible()
    expect(page.get_by_role("link", name="Roster and requests")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "22b-manage-course")
    page.set_viewport_size({"width": 360, "height": 740})
    assert_accessible(page)
    screenshot(page, "22c-manage-course-phone")
    page.set_viewport_size({"width": 1100, "height": 800})
    follow(page, page.get_by_role("link", name="Hands-on assessments"))
    follow(page, page.get_by_role("button", name="Start assessment of Amina Yusuf"))
    items = page.locator("fieldset.checklist-item")
    expect(items.first).to_be_visible()
    for group in items.all():
        group.get_by_label("Met", exact=True).check()
    follow(page, page.get_by_role("button", name="Save marks"))
    expect(page.get_by_text("Assessed: competent").first).to_be_visible()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand").check()
    assert_accessible(page)
    screenshot(page, "23-practical-signing")
    follow(page, page.get_by_role("button", name="Sign"))
    expect(page.get_by_text("Signed: Assessed: competent.")).to_be_visible()
    log_out(page)

    # Amina's course is complete; her certificate downloads from the dashboard.
    log_in(page, live_server, "amina@example.org")
    page.goto(live_server + "/learning/dashboard")
    expect(page.get_by_text("Completed on")).to_be_visible()
    screenshot(page, "24-dashboard-certificate")
    with page.expect_download() as download:
        page.get_by_role(
            "link", name="download the certificate (PDF) for GxP Standard Practice").click()
    pdf = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    assert "Amina Yusuf" in pdf.pages[0].extract_text()
    (qr,) = zxingcpp.read_barcodes(pdf.pages[0].images[0].image)
    verify_url = qr.text
    assert verify_url.startswith(live_server + "/certificates/verify/")
    log_out(page)

    page.goto(verify_url)
    expect(page.get_by_text("Valid.")).to_be_visible()
    expect(page.get_by_text("Amina Yusuf")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "25-verify-valid")

    # An administrator revokes it; the same address now says so.
    log_in(page, live_server, "grace@example.org")
    follow(page, page.get_by_role("link", name="Certificates"))
    follow(page, page.get_by_role("link", name="Revoke").first)
    page.get_by_label("Reason for revoking").fill("Issued in error: test enrolment")
    follow(page, page.get_by_role("button", name="Revoke"))
    expect(page.get_by_text("is revoked.")).to_be_visible()
    log_out(page)
    page.goto(verify_url)
    expect(page.get_by_text("Revoked").first).to_be_visible()
    expect(page.get_by_text("no longer valid")).to_be_visible()
    screenshot(page, "26-verify-revoked")
