"""An intake from nothing: a regional centre's administrator creates a programme of the
centre's own course and a hub course it offers, then an intake of it; imports the 30
trainees of tests/intakes/trainees-30.csv (the dry run first, then the import); schedules
the intake's classroom day. A trainee follows the link of her invitation, sets her password
and finds the intake's schedule on her dashboard, on her own clock. Each page is pictured at
1100 px and at 360 px, where none scrolls sideways."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.auth.services import Profile, create_account
from app.centres.models import Centre, CentreCourse, CentreRole
from app.centres.services import ensure_hub
from app.content.models import Course
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.e2e.pages import PASSWORD, assert_accessible, follow, log_in, log_out, screenshot
from tests.intakes.network import SAMPLE_CSV

pytestmark = pytest.mark.e2e
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1100, "height": 800}
SHARED = "gxp-standard-practice"  # the hub's, with its classroom workshop
OWN = "vaccinology-essentials"


@pytest.fixture
def centre_id(live_app, shipped_courses) -> int:
    """The African centre owns Vaccinology essentials and offers the hub's GxP course; Nadia
    is its administrator and Ivan its instructor."""
    with live_app.app_context():
        now = live_app.config["CLOCK"]()
        hub = ensure_hub(now)
        centre = Centre(code="AFR", name="African Regional Training Centre", country="KE",
                        timezone="Africa/Nairobi", languages=["en"], created_at=now)
        db.session.add(centre)
        db.session.flush()
        courses = {c.slug: c for c in db.session.scalars(select(Course).where(
            Course.slug.in_([SHARED, OWN])))}
        courses[OWN].centre_id, courses[SHARED].centre_id = centre.id, hub.id
        db.session.add(CentreCourse(centre_id=centre.id, course_id=courses[SHARED].id,
                                    offered_at=now))
        for email, name, role in (("nadia@example.org", "Nadia Kamau", "centre_admin"),
                                  ("ivan@example.org", "Ivan Petrov", "instructor")):
            user = create_account(email=email, password=PASSWORD,
                                  profile=Profile(name, "KE", timezone="Africa/Nairobi"),
                                  now=now)
            db.session.add(CentreRole(centre_id=centre.id, user_id=user.id, role=role,
                                      assigned_at=now))
        db.session.commit()
        return centre.id


def _pictured(page: Page, name: str) -> None:
    screenshot(page, name)
    page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    expect(page.locator("h1")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at 360 px"
    screenshot(page, f"{name}-phone")
    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]


def _invitation_link(live_app, email: str) -> str:
    with live_app.app_context():
        message = db.session.scalar(select(OutboxMessage).where(
            OutboxMessage.recipient == email, OutboxMessage.kind == "intakes.invitation"))
        assert message is not None
        for part in message_from_bytes(message.message).walk():
            if part.get_content_type() == "text/plain":
                text = part.get_payload(decode=True).decode()  # type: ignore[union-attr]
                return "/auth/reset/" + text.split("/auth/reset/")[1].split()[0]
    raise AssertionError("no invitation text")


def test_a_centre_runs_an_intake_and_a_trainee_sees_its_schedule(
        page: Page, live_server: str, live_app, centre_id: int) -> None:
    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    log_in(page, live_server, "nadia@example.org")
    page.goto(f"{live_server}/intakes/")
    follow(page, page.get_by_role("link", name="African Regional Training Centre"))
    follow(page, page.get_by_role("link", name="New programme"))

    page.get_by_label("Code").fill("IBDM")
    page.get_by_label("Title").fill("Introductory Course for Biologics Development")
    page.get_by_label("GxP Standard Practice", exact=True).fill("1")
    page.get_by_label("Modality of GxP Standard Practice").select_option("classroom")
    page.get_by_label("Vaccinology Essentials Across the Vaccine Life Cycle", exact=True).fill("2")
    assert_accessible(page)
    _pictured(page, "intake-programme-form")
    follow(page, page.get_by_role("button", name="Save the programme"))
    expect(page.get_by_text("The programme is saved.")).to_be_visible()

    follow(page, page.get_by_role("link", name="New intake of this programme"))
    first_day = (datetime.now(UTC) + timedelta(days=1)).date()
    page.get_by_label("Code").fill("IBDM-1")
    page.get_by_label("Title").fill("IBDM first intake")
    page.get_by_label("First day").fill(first_day.isoformat())
    page.get_by_label("Last day").fill((first_day + timedelta(days=11)).isoformat())
    page.get_by_label("Time zone").select_option("Asia/Seoul")
    page.get_by_label("Seats").fill("40")
    page.get_by_label("Virtual days").fill("9")
    page.get_by_label("Classroom days").fill("2")
    page.get_by_label("Ivan Petrov").select_option("lead")
    _pictured(page, "intake-form")
    follow(page, page.get_by_role("button", name="Save the intake"))
    expect(page.get_by_role("heading", name="IBDM first intake")).to_be_visible()
    intake_url = page.url

    follow(page, page.get_by_role("link", name="Import trainees"))
    page.get_by_label("CSV file of trainees").set_input_files(str(SAMPLE_CSV))
    follow(page, page.get_by_role("button", name="Check the file"))
    expect(page.get_by_role("heading", name="What the import will do")).to_be_visible()
    expect(page.get_by_text("New accounts: 30")).to_be_visible()
    assert_accessible(page)
    _pictured(page, "intake-dry-run")
    follow(page, page.get_by_role("button", name="Import 30 trainees"))
    expect(page.get_by_text("30 trainees joined the intake.")).to_be_visible()
    expect(page.get_by_text("0 done, 60 on track, 0 behind", exact=False)).to_be_visible()
    assert_accessible(page)
    _pictured(page, "intake-board")

    page.goto(intake_url)
    follow(page, page.get_by_role("link", name="Schedule a session"))
    page.get_by_label("Module").select_option(label="Deviation investigation workshop "
                                                    "(classroom)")
    page.get_by_label("Date").fill((first_day + timedelta(days=1)).isoformat())
    page.get_by_label("Starts at").fill("09:00")
    page.get_by_label("Ends at").fill("12:00")
    page.get_by_label("Time zone of these times").select_option("Asia/Seoul")
    page.get_by_label("Room or place (classroom and hands-on sessions)").fill(
        "Seminar room 3, Songdo campus")
    _pictured(page, "intake-schedule")
    follow(page, page.get_by_role("button", name="Schedule"))
    expect(page.get_by_text("The session is scheduled and the intake's learners "
                            "registered.")).to_be_visible()
    follow(page, page.get_by_role("link", name="Deadlines"))
    page.get_by_label("Why GxP? Good practice from laboratory to patient").fill("3")
    follow(page, page.get_by_role("button", name="Save the deadlines"))
    expect(page.get_by_text("The deadlines are saved.")).to_be_visible()
    assert_accessible(page)
    _pictured(page, "intake-page")
    log_out(page)

    # Wanjiru, from Kenya, sets her password through her invitation and opens her dashboard.
    page.goto(live_server + _invitation_link(live_app, "wanjiru.kamau@example.org"))
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("New password again").fill(PASSWORD)
    follow(page, page.get_by_role("button", name="Set my new password"))
    log_in(page, live_server, "wanjiru.kamau@example.org")
    page.goto(f"{live_server}/learning/dashboard")
    panel = page.get_by_role("region", name="Your intake: IBDM first intake")
    expect(panel).to_be_visible()
    expect(panel.get_by_text("Day 2", exact=True)).to_be_visible()
    expect(panel.get_by_role("link", name="Deviation investigation workshop")).to_be_visible()
    expect(panel).to_contain_text("03:00")  # 09:00 in Seoul on Nairobi's clock
    expect(panel.get_by_text("Day 3", exact=True)).to_be_visible()
    expect(panel).to_contain_text("complete Why GxP?")
    assert_accessible(page)
    _pictured(page, "intake-dashboard")
