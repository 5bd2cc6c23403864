"""The training network in a real browser: the network administrator creates a regional
centre and makes a colleague its centre administrator, and shares a hub course with the
network; the centre administrator offers it in the centre's catalogue; a learner finds it
there, in the centre's colours, and enrols, the enrolment recorded at that centre. Each
page is kept as a picture at desktop width and at 360 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.auth.services import Profile, create_account
from app.core.roles import Role
from app.extensions import db
from tests.e2e.pages import (
    PASSWORD,
    assert_accessible,
    follow,
    log_in,
    log_out,
    pictured,
)

pytestmark = pytest.mark.e2e
COURSE = "GxP Standard Practice"


@pytest.fixture
def network_people(live_app, shipped_courses) -> None:
    """Grace, the network administrator; Wanjiru, soon a centre administrator; Kim, a
    learner. The shipped courses belong to the hub."""
    with live_app.app_context():
        for email, name, role in (("grace@example.org", "Grace Admin", Role.ADMIN),
                                  ("wanjiru@example.org", "Wanjiru Kamau", Role.LEARNER),
                                  ("kim@example.org", "Kim Min-jun", Role.LEARNER)):
            create_account(email=email, password=PASSWORD,
                           profile=Profile(name=name, country="KE"), roles=[role],
                           now=live_app.config["CLOCK"]())
        db.session.commit()


def test_a_regional_centre_offers_a_hub_course_and_a_learner_enrols_there(
        page: Page, live_server: str, live_app, network_people: None) -> None:
    log_in(page, live_server, "grace@example.org")
    # The centres are reached from the Accounts page (the admin's header has no room left).
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link",
                                                                          name="Accounts"))
    follow(page, page.get_by_role("main").get_by_role("link", name="Centres"))
    follow(page, page.get_by_role("link", name="New centre"))
    page.get_by_label("Code").fill("KE-NBO")
    page.get_by_label("Name", exact=True).fill("East Africa Biomanufacturing Centre")
    page.get_by_label("Country").select_option(label="Kenya")
    page.get_by_label("Region").fill("Africa")
    page.get_by_label("Time zone").select_option("Africa/Nairobi")
    page.get_by_label("Main colour").fill("#5a1d73")
    pictured(page, "centres-01-new-centre")
    follow(page, page.get_by_role("button", name="Save the centre"))
    expect(page.get_by_text("Centre East Africa Biomanufacturing Centre created.")
           ).to_be_visible()

    page.get_by_label("E-mail address of the person").fill("wanjiru@example.org")
    page.get_by_label("Role", exact=True).select_option(label="Centre administrator")
    follow(page, page.get_by_role("button", name="Grant the role"))
    expect(page.get_by_text("Wanjiru Kamau is Centre administrator at East Africa "
                            "Biomanufacturing Centre.")).to_be_visible()
    assert_accessible(page)
    pictured(page, "centres-02-centre-with-its-administrator")

    # The hub's course is shared with the network by the hub (here: the network admin).
    page.goto(live_server + "/centres/HUB/")
    follow(page, page.locator("tr", has_text=COURSE).get_by_role("button",
                                                                 name="Share with the network"))
    expect(page.get_by_text("The course is shared with the network.")).to_be_visible()
    log_out(page)

    # The centre administrator finds the centre on the dashboard and offers the course.
    log_in(page, live_server, "wanjiru@example.org")
    page.goto(live_server + "/learning/dashboard")
    follow(page, page.get_by_role("link", name="East Africa Biomanufacturing Centre"))
    follow(page, page.locator("tr", has_text=COURSE).get_by_role("button", name="Offer here"))
    expect(page.get_by_text("The course is offered in the centre's catalogue.")).to_be_visible()
    assert_accessible(page)
    pictured(page, "centres-03-centre-admin-offers")
    log_out(page)

    # A learner browses the centre's catalogue: the offered course, in the centre's theme.
    log_in(page, live_server, "kim@example.org")
    page.goto(live_server + "/catalog/")
    page.get_by_label("Centre").select_option(label="East Africa Biomanufacturing Centre")
    follow(page, page.get_by_role("button", name="Find"))
    expect(page.get_by_role("heading", name="Courses at East Africa Biomanufacturing Centre")
           ).to_be_visible()
    expect(page.locator(".card h2")).to_have_count(1)
    assert_accessible(page)
    pictured(page, "centres-04-centre-catalogue")
    follow(page, page.get_by_role("link", name=COURSE))
    follow(page, page.get_by_role("button", name="Enrol"))
    expect(page.get_by_text("You are enrolled.")).to_be_visible()
    pictured(page, "centres-05-enrolled-through-the-centre")

    from app.centres.models import Centre
    from app.learning.models import Enrolment

    with live_app.app_context():
        centre = db.session.scalars(select(Centre.id).where(Centre.code == "KE-NBO")).one()
        assert db.session.scalars(select(Enrolment.centre_id)).all() == [centre]
