"""Issue 21's journey, from nothing to an intake report, in the browser:

1. The network administrator creates a regional centre, makes Nadia its administrator and
   shares two hub courses with the network.
2. Nadia offers them in her centre's catalogue, makes Ivan the centre's instructor, creates
   a programme and an intake of it, imports the 30 trainees of tests/intakes/trainees-30.csv
   from 8 countries (the dry run first), and schedules the intake's classroom day and a
   deadline.
3. A trainee sets her password through her invitation, finds the intake's schedule on her
   dashboard, on her own clock, and completes the first module.
4. The intake report counts the 30 trainees by country and draws its SVG charts.
5. The administrator of a second centre gets 403 on all of it.

Each page is pictured at 1100 px and at 360 px, where none scrolls sideways."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.auth.services import Profile, create_account, set_roles
from app.centres.models import Centre, CentreRole
from app.centres.services import ensure_hub
from app.core.roles import Role
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.e2e.pages import (
    CHARTS_DRAWN,
    DESKTOP,
    PASSWORD,
    assert_accessible,
    follow,
    log_in,
    log_out,
    pictured,
)
from tests.intakes.network import SAMPLE_CSV

pytestmark = pytest.mark.e2e
GXP = "GxP Standard Practice"  # the hub's, with its classroom workshop
VACCINOLOGY = "Vaccinology Essentials Across the Vaccine Life Cycle"


@pytest.fixture
def network(live_app, shipped_courses) -> None:
    """The hub with the shipped courses; Grace, the network administrator; Nadia and Ivan,
    with accounts and no role yet; a second centre in South-East Asia with its own
    administrator, Somchai."""
    with live_app.app_context():
        now = live_app.config["CLOCK"]()
        ensure_hub(now)
        grace = create_account(email="grace@example.org", password=PASSWORD,
                               profile=Profile("Grace Hopper", "KR", timezone="Asia/Seoul"),
                               now=now)
        set_roles(None, grace, {Role.LEARNER, Role.ADMIN}, now)
        for email, name in (("nadia@example.org", "Nadia Kamau"),
                            ("ivan@example.org", "Ivan Petrov")):
            create_account(email=email, password=PASSWORD,
                           profile=Profile(name, "KE", timezone="Africa/Nairobi"), now=now)
        other = Centre(code="SEA", name="South-East Asia Training Centre", country="TH",
                       timezone="Asia/Bangkok", languages=["en"], created_at=now)
        db.session.add(other)
        db.session.flush()
        somchai = create_account(email="somchai@example.org", password=PASSWORD,
                                 profile=Profile("Somchai Wong", "TH"), now=now)
        db.session.add(CentreRole(centre_id=other.id, user_id=somchai.id, role="centre_admin",
                                  assigned_at=now))
        db.session.commit()


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


def _course_action(page: Page, title: str, action: str) -> None:
    """Press a course's button (Share with the network, Offer here...) in its row of the
    centre's course table."""
    row = page.get_by_role("row").filter(has_text=title)
    follow(page, row.get_by_role("button", name=action))


def _grant(page: Page, email: str, role: str) -> None:
    page.get_by_label("E-mail address of the person").fill(email)
    page.get_by_label("Role", exact=True).select_option(label=role)
    follow(page, page.get_by_role("button", name="Grant the role"))


def _network_administrator_founds_the_centre(page: Page, live_server: str) -> None:
    log_in(page, live_server, "grace@example.org")
    page.goto(f"{live_server}/centres/new")
    page.get_by_label("Code").fill("AFR")
    page.get_by_label("Name").fill("African Regional Training Centre")
    page.get_by_label("Country").select_option(label="Kenya")
    page.get_by_label("Time zone").select_option("Africa/Nairobi")
    assert_accessible(page)
    pictured(page, "network-centre-form")
    follow(page, page.get_by_role("button", name="Save the centre"))
    expect(page.get_by_text("Centre African Regional Training Centre created.")).to_be_visible()
    _grant(page, "nadia@example.org", "Centre administrator")
    expect(page.get_by_role("cell", name="Nadia Kamau", exact=True)).to_be_visible()
    # The hub shares two of its courses with the network.
    page.goto(f"{live_server}/centres/HUB/")
    for title in (GXP, VACCINOLOGY):
        _course_action(page, title, "Share with the network")
    expect(page.get_by_role("row").filter(has_text=GXP)).to_contain_text(
        "shared with the network")
    log_out(page)


def _centre_administrator_offers_and_staffs(page: Page, live_server: str) -> None:
    log_in(page, live_server, "nadia@example.org")
    page.goto(f"{live_server}/centres/AFR/")
    for title in (GXP, VACCINOLOGY):
        _course_action(page, title, "Offer here")
    expect(page.get_by_role("row").filter(has_text=GXP)).to_contain_text("Offered")
    _grant(page, "ivan@example.org", "Instructor")
    expect(page.get_by_role("cell", name="Ivan Petrov", exact=True)).to_be_visible()
    assert_accessible(page)
    pictured(page, "network-centre-page")


def test_a_network_runs_an_intake_from_a_new_centre_to_its_report(
        page: Page, live_server: str, live_app, network: None) -> None:
    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    _network_administrator_founds_the_centre(page, live_server)
    _centre_administrator_offers_and_staffs(page, live_server)

    page.goto(f"{live_server}/intakes/")
    follow(page, page.get_by_role("link", name="African Regional Training Centre"))
    follow(page, page.get_by_role("link", name="New programme"))
    page.get_by_label("Code").fill("IBDM")
    page.get_by_label("Title").fill("Introductory Course for Biologics Development")
    page.get_by_label(GXP, exact=True).fill("1")
    page.get_by_label(f"Modality of {GXP}").select_option("classroom")
    page.get_by_label(VACCINOLOGY, exact=True).fill("2")
    assert_accessible(page)
    pictured(page, "intake-programme-form")
    follow(page, page.get_by_role("button", name="Save the programme"))
    expect(page.get_by_text("The programme is saved.")).to_be_visible()
    programme_url = page.url

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
    pictured(page, "intake-form")
    follow(page, page.get_by_role("button", name="Save the intake"))
    expect(page.get_by_role("heading", name="IBDM first intake")).to_be_visible()
    intake_url = page.url
    intake_id = int(intake_url.rstrip("/").rsplit("/", 1)[1])

    follow(page, page.get_by_role("link", name="Import trainees"))
    import_url = page.url
    page.get_by_label("CSV file of trainees").set_input_files(str(SAMPLE_CSV))
    follow(page, page.get_by_role("button", name="Check the file"))
    expect(page.get_by_role("heading", name="What the import will do")).to_be_visible()
    expect(page.get_by_text("New accounts: 30")).to_be_visible()
    assert_accessible(page)
    pictured(page, "intake-dry-run")
    follow(page, page.get_by_role("button", name="Import 30 trainees"))
    expect(page.get_by_text("30 trainees joined the intake.")).to_be_visible()
    expect(page.get_by_text("0 done, 60 on track, 0 behind", exact=False)).to_be_visible()
    assert_accessible(page)
    pictured(page, "intake-board")
    board_url = page.url

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
    pictured(page, "intake-schedule")
    follow(page, page.get_by_role("button", name="Schedule"))
    expect(page.get_by_text("The session is scheduled and the intake's learners "
                            "registered.")).to_be_visible()
    follow(page, page.get_by_role("link", name="Deadlines"))
    page.get_by_label("Why GxP? Good practice from laboratory to patient").fill("3")
    follow(page, page.get_by_role("button", name="Save the deadlines"))
    expect(page.get_by_text("The deadlines are saved.")).to_be_visible()
    assert_accessible(page)
    pictured(page, "intake-page")
    log_out(page)

    # Wanjiru, from Kenya, sets her password through her invitation, finds her schedule and
    # completes the first module of the programme.
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
    pictured(page, "intake-dashboard")
    page.goto(f"{live_server}/learning/gxp-standard-practice/modules/why-gxp")
    follow(page, page.get_by_role("button", name="Mark as complete"))
    expect(page.get_by_text("is complete.")).to_be_visible()
    log_out(page)

    # The intake report, as Nadia sees it.
    log_in(page, live_server, "nadia@example.org")
    report_url = f"{live_server}/reports/intakes/{intake_id}"
    page.goto(report_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("IBDM first intake")
    line = page.locator(".country-line")
    for country in ("Argentina (4)", "Bangladesh (3)", "Botswana (3)", "Indonesia (4)",
                    "Kenya (3)", "Nigeria (4)"):
        expect(line).to_contain_text(country)
    expect(page.locator(".report-chart img")).to_have_count(6)
    page.wait_for_function(CHARTS_DRAWN)
    funnel = page.request.get(f"{report_url}/funnel.csv").text()
    assert "Enrolled,30" in funnel and "Started,1" in funnel, funnel
    svg = page.request.get(f"{report_url}/countries.svg")
    assert svg.ok and svg.headers["content-type"].startswith("image/svg+xml")
    assert b"<script" not in svg.body() and b"Argentina" in svg.body()
    assert_accessible(page)
    pictured(page, "network-intake-report")
    log_out(page)

    # Another centre's administrator: 403 on every page of it.
    log_in(page, live_server, "somchai@example.org")
    for url in (intake_url, board_url, import_url, programme_url, report_url,
                f"{live_server}/centres/AFR/", f"{report_url}/countries.csv"):
        response = page.goto(url)
        assert response is not None and response.status == 403, url
