"""Centres: the pure rules, the services (centres, theme, roles and their account-wide
mirror), the pages, and the scope that keeps each centre's staff to its own learners."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask, g
from PIL import Image
from sqlalchemy import select

from app.auth.models import User
from app.centres import rules
from app.centres.models import Centre, CentreRole
from app.centres.scope import may_staff_centre, sees_learner, staff_centre_ids
from app.centres.services import CentreDetails, create_centre, ensure_hub, read_logo, set_logo
from app.centres.staff import grant_centre_role, remove_centre_role
from app.core.errors import PermissionDenied, ValidationError, ValidationErrors
from app.core.roles import Role
from app.extensions import db
from app.learning.queries import course_view, roster
from app.learning.services import enrol
from app.records.models import Event
from tests.conftest import login

# --- pure rules ---------------------------------------------------------------------------


def test_contrast_for_white_text_follows_wcag_aa() -> None:
    assert rules.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert rules.carries_white_text("#1d4f73")
    assert not rules.carries_white_text("#ffcc00")
    assert not rules.carries_white_text("#777777")  # 4.48:1, just short
    assert rules.carries_white_text("#767676")  # 4.54:1


@pytest.mark.parametrize(("text", "ok"), [("KE-NBO", True), ("HUB", True), ("k", False),
                                          ("1AB", False), ("A B", False)])
def test_codes(text: str, ok: bool) -> None:
    assert rules.is_code(rules.normal_code(text)) is ok


def test_colours() -> None:
    assert rules.is_colour(rules.normal_colour(" #1D4F73 "))
    assert not rules.is_colour("#12345")
    assert not rules.is_colour("red")


# --- services -------------------------------------------------------------------------------


def _details(code: str = "AFR", **extra: Any) -> CentreDetails:
    values: dict[str, Any] = {"code": code, "name": f"Centre {code}", "country": "ZA",
                              "region": "Africa", "timezone": "Africa/Johannesburg",
                              "languages": ("en", "fr")}
    values.update(extra)
    return CentreDetails(**values)


def _png(size: tuple[int, int] = (800, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#1d4f73").save(out, format="PNG")
    return out.getvalue()


def test_the_network_administrator_creates_a_centre_with_an_event(
        app: Flask, people: dict[str, User], clock: Any) -> None:
    centre = create_centre(people["grace"], _details(), clock())
    assert (centre.code, centre.is_hub, centre.languages) == ("AFR", False, ["en", "fr"])
    assert centre.theme_version
    event = db.session.scalars(select(Event).where(Event.action == "centre.created")).one()
    assert event.subject_id == str(centre.id)
    with pytest.raises(PermissionDenied):
        create_centre(people["ivan"], _details("ASIA"), clock())


def test_every_wrong_field_is_refused_at_once(app: Flask, people: dict[str, User],
                                               clock: Any) -> None:
    with pytest.raises(ValidationErrors) as refused:
        create_centre(people["grace"], _details("x", name=" ", country="ZZ", timezone="Mars/X",
                                                languages=("xx",), primary_colour="#ffcc00",
                                                accent_colour="blue"), clock())
    fields = {error.field for error in refused.value.errors}
    assert fields == {"code", "name", "country", "timezone", "languages", "primary_colour",
                      "accent_colour"}


def test_a_logo_is_checked_scaled_and_re_encoded(app: Flask, people: dict[str, User],
                                                 clock: Any) -> None:
    data, kind = read_logo(_png())
    assert kind == "image/png"
    with Image.open(io.BytesIO(data)) as image:
        assert max(image.size) <= 400
    with pytest.raises(ValidationError):
        read_logo(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    with pytest.raises(ValidationError):
        read_logo(gif.getvalue())
    with pytest.raises(ValidationError):
        read_logo(b"\x89PNG" + b"0" * (600 * 1024))
    centre = create_centre(people["grace"], _details(), clock())
    before = centre.theme_version
    set_logo(people["grace"], centre, _png(), clock())
    assert centre.logo_type == "image/png" and centre.theme_version != before


# --- roles ------------------------------------------------------------------------------------


def test_account_wide_staff_hold_their_role_at_the_hub(app: Flask, people: dict[str, User]
                                                      ) -> None:
    hub = db.session.scalars(select(Centre).where(Centre.is_hub.is_(True))).one()
    assert staff_centre_ids(people["ivan"]) == {hub.id}
    assert staff_centre_ids(people["ivan"], "programme_officer") == frozenset()
    assert staff_centre_ids(people["grace"]) is None
    assert staff_centre_ids(people["amina"]) == frozenset()


def test_roles_are_granted_and_removed_with_the_account_role_in_step(
        app: Flask, people: dict[str, User], clock: Any) -> None:
    grace, amina = people["grace"], people["amina"]
    centre = create_centre(grace, _details(), clock())
    assert grant_centre_role(grace, centre, amina, "assessor", clock())
    assert not grant_centre_role(grace, centre, amina, "assessor", clock())
    assert amina.has_role(Role.ASSESSOR)
    assert may_staff_centre(amina, centre.id, "assessor")
    grant_centre_role(grace, centre, amina, "centre_admin", clock())
    kim = people["kim"]
    # A centre administrator assigns at their own centre only.
    assert grant_centre_role(amina, centre, kim, "instructor", clock())
    hub = ensure_hub(clock())
    with pytest.raises(PermissionDenied):
        grant_centre_role(amina, hub, kim, "instructor", clock())
    assert remove_centre_role(grace, centre, amina, "assessor", clock())
    assert not amina.has_role(Role.ASSESSOR)
    actions = list(db.session.scalars(select(Event.action).where(
        Event.action.like("centre.role_%")).order_by(Event.seq)))
    assert actions.count("centre.role_granted") >= 3 and "centre.role_removed" in actions


def test_taking_an_account_role_away_ends_it_at_every_centre(
        app: Flask, people: dict[str, User], clock: Any) -> None:
    from app.auth.services import set_roles

    grace, olu = people["grace"], people["olu"]
    centre = create_centre(grace, _details(), clock())
    grant_centre_role(grace, centre, olu, "instructor", clock())
    set_roles(grace, olu, [Role.LEARNER], clock())
    assert db.session.scalars(select(CentreRole).where(CentreRole.user_id == olu.id)).all() == []


# --- the theme --------------------------------------------------------------------------------


def test_the_theme_is_a_cached_stylesheet_and_logo(app: Flask, people: dict[str, User],
                                                   clock: Any, client: Any) -> None:
    centre = create_centre(people["grace"], _details(primary_colour="#5a1d73"), clock())
    set_logo(people["grace"], centre, _png(), clock())
    db.session.commit()
    css = client.get(f"/centres/AFR/theme-{centre.theme_version}.css")
    assert css.status_code == 200 and "#5a1d73" in css.get_data(as_text=True)
    assert "max-age=31536000" in css.headers["Cache-Control"] and css.headers["ETag"]
    assert client.get("/centres/AFR/theme-old.css").status_code == 404
    logo = client.get(f"/centres/AFR/logo-{centre.theme_version}")
    assert logo.status_code == 200 and logo.mimetype == "image/png"
    assert "public" in logo.headers["Cache-Control"]


# --- pages ----------------------------------------------------------------------------------


def test_the_network_administrator_creates_and_edits_a_centre_through_the_pages(
        app: Flask, people: dict[str, User], client: Any) -> None:
    login(client, "grace@example.org")
    assert client.get("/centres/new").status_code == 200
    form = {"code": "asia-1", "name": "Asia centre", "country": "SG", "region": "SEA",
            "timezone": "Asia/Singapore", "languages": ["en"], "primary_colour": "#1d4f73",
            "accent_colour": "#2f7d4f", "active": "y"}
    created = client.post("/centres/new", data=form)
    assert created.status_code == 302 and created.headers["Location"].endswith("/centres/ASIA-1/")
    page = client.get("/centres/ASIA-1/")
    assert "Asia centre" in page.get_data(as_text=True)
    refused = client.post("/centres/ASIA-1/edit", data={**form, "primary_colour": "#ffff00"})
    assert refused.status_code == 200 and "too faint" in refused.get_data(as_text=True)
    granted = client.post("/centres/ASIA-1/roles", data={"email": "kim@example.org",
                                                          "role": "centre_admin"})
    assert granted.status_code == 302


def test_people_without_a_role_at_a_centre_get_403(app: Flask, people: dict[str, User],
                                                   client: Any, clock: Any) -> None:
    create_centre(people["grace"], _details(), clock())
    db.session.commit()
    login(client, "ivan@example.org")
    assert client.get("/centres/AFR/").status_code == 403
    assert client.get("/centres/new").status_code == 403
    assert client.post("/centres/AFR/roles", data={"email": "kim@example.org",
                                                   "role": "assessor"}).status_code == 403


# --- the scope --------------------------------------------------------------------------------


@pytest.fixture
def network(app: Flask, people: dict[str, User], make_user: Callable[..., User],
            make_course: Callable[..., Any], clock: Any) -> dict[str, Any]:
    """The hub and two regional centres; at each an instructor-assessor on the hub course's
    staff and a centre administrator; one learner of each enrolled through their centre."""
    from app.learning.services import assign_staff

    grace = people["grace"]
    course = make_course("shared-course")
    hub = ensure_hub(clock())
    a = create_centre(grace, _details("AAA"), clock())
    b = create_centre(grace, _details("BBB"), clock())
    found: dict[str, Any] = {"course": course, "grace": grace}
    for centre in (hub, a, b):
        staff = make_user(f"staff-{centre.code.lower()}@example.org",
                          name=f"Staff {centre.code}")
        admin = make_user(f"admin-{centre.code.lower()}@example.org",
                          name=f"Admin {centre.code}")
        learner = make_user(f"learner-{centre.code.lower()}@example.org",
                            name=f"Learner {centre.code}")
        for role in ("instructor", "assessor"):
            grant_centre_role(grace, centre, staff, role, clock())
            assign_staff(grace, course, staff, role, clock())
        grant_centre_role(grace, centre, admin, "centre_admin", clock())
        enrol(learner, course, clock(), centre_id=centre.id)
        found[centre.code] = {"centre": centre, "staff": staff, "admin": admin,
                              "learner": learner}
    db.session.commit()
    return found


def test_staff_see_only_the_learners_of_their_centres(network: dict[str, Any]) -> None:
    course = network["course"]
    for code in ("HUB", "AAA", "BBB"):
        staff = network[code]["staff"]
        view = course_view(course.slug, staff)
        assert view is not None
        names = {row.learner.name for row in roster(view, centres=staff_centre_ids(staff))}
        assert names == {f"Learner {code}"}
        for other in ("HUB", "AAA", "BBB"):
            assert sees_learner(staff, course.id, network[other]["learner"].id) is (
                other == code)


# Every GET page of the app whose address names a person, a centre or a course, asked by
# each viewer about an object of their own centre, of the other centre and of the hub. A
# cell succeeds when the page answers 200 and shows the target centre's learner (pages of
# one course), or just answers 200 (pages of a person or a centre). Allowed: the network
# administrator everywhere; staff and centre administrators at their own centre only.
PUBLIC = {"catalog.course", "centres.stylesheet", "centres.logo", "classroom.feed",
          "content.media", "certificates.verify", "auth.confirm", "auth.reset_password",
          "notifications.unsubscribe", "authoring.draft_media", "moved"}
FILLABLE = {"user_id", "code", "course_slug"}


def _staff_urls(app: Flask) -> list[tuple[str, str]]:
    rules = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint in PUBLIC or not rule.arguments:
            continue
        if rule.arguments <= FILLABLE:
            rules.append((rule.endpoint, rule.rule))
    return sorted(rules)


def _allowed(viewer_centre: str, target_centre: str) -> bool:
    return viewer_centre == target_centre


def test_the_access_matrix_across_centres_has_no_unexpected_success(
        app: Flask, network: dict[str, Any]) -> None:
    course = network["course"]
    urls = _staff_urls(app)
    assert ("learning.course_roster", "/learning/<course_slug>/roster") in urls
    assert ("records.learner_record", "/records/learners/<int:user_id>") in urls
    unexpected = []
    for viewer_code in ("HUB", "AAA", "BBB"):
        for who in ("staff", "admin"):
            viewer = network[viewer_code][who]
            # The test's app context is every request's: forget the last viewer's account.
            g.pop("_login_user", None)
            client = app.test_client()
            login(client, viewer.email)
            for target in ("HUB", "AAA", "BBB"):
                learner = network[target]["learner"]
                values = {"user_id": learner.id, "code": network[target]["centre"].code,
                          "course_slug": course.slug}
                for _endpoint, rule in urls:
                    path = rule
                    for name, value in values.items():
                        path = path.replace(f"<int:{name}>", str(value)).replace(
                            f"<{name}>", str(value))
                    response = client.get(path)
                    body = response.get_data(as_text=True) if response.mimetype in (
                        "text/html", "text/csv") else ""
                    shown = response.status_code == 200 and (
                        "course_slug" not in rule or "user_id" in rule or "code" in rule
                        or learner.name in body)
                    if shown and not _allowed(viewer_code, target):
                        unexpected.append(f"{who} of {viewer_code} -> {target}: {path}")
    assert unexpected == [], "\n".join(unexpected)


def test_the_network_administrator_sees_every_centre(app: Flask, network: dict[str, Any]
                                                     ) -> None:
    client = app.test_client()
    login(client, "grace@example.org")
    roster_page = client.get(f"/learning/{network['course'].slug}/roster").get_data(
        as_text=True)
    assert all(f"Learner {code}" in roster_page for code in ("HUB", "AAA", "BBB"))


