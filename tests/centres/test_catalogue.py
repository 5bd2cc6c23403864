"""Courses belong to a centre: the importer's `centre:`, courses created in the browser,
sharing with the network, offering and withdrawing shared courses, each centre's catalogue,
and enrolling through it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g
from sqlalchemy import select

from app.auth.models import User
from app.centres import rules
from app.centres.catalogue import (
    authored_course_centre,
    catalogue_courses,
    offer_course,
    share_course,
    withdraw_course,
)
from app.centres.models import Centre, CentreCourse
from app.centres.services import CentreDetails, create_centre, ensure_hub
from app.centres.staff import grant_centre_role
from app.content.importer import import_folders
from app.content.models import Course
from app.content.specs import ContentError
from app.core.errors import DomainError, PermissionDenied
from app.extensions import db
from app.learning.models import Enrolment
from app.records.models import Event
from tests.conftest import count_queries, login


def _centre(grace: User, code: str, clock: Any) -> Centre:
    return create_centre(grace, CentreDetails(code=code, name=f"Centre {code}", country="KE",
                                              timezone="Africa/Nairobi", languages=("en",)),
                         clock())


@pytest.fixture
def two(app: Flask, people: dict[str, User], make_user: Callable[..., User],
        make_course: Callable[..., Course], clock: Any) -> dict[str, Any]:
    """The hub with a course, centres AAA and BBB with an administrator each, and a course
    of AAA's own."""
    grace = people["grace"]
    hub = ensure_hub(clock())
    a, b = _centre(grace, "AAA", clock), _centre(grace, "BBB", clock)
    hub_admin = make_user("admin-hub@example.org", name="Admin HUB")
    admin_a = make_user("admin-a@example.org", name="Admin AAA")
    admin_b = make_user("admin-b@example.org", name="Admin BBB")
    grant_centre_role(grace, hub, hub_admin, "centre_admin", clock())
    grant_centre_role(grace, a, admin_a, "centre_admin", clock())
    grant_centre_role(grace, b, admin_b, "centre_admin", clock())
    hub_course = make_course("gmp-basics", title="GMP basics")
    own = make_course("aaa-local", title="AAA local course", settings={"centre": "AAA"})
    db.session.commit()
    return {"grace": grace, "hub": hub, "a": a, "b": b, "hub_admin": hub_admin,
            "admin_a": admin_a, "admin_b": admin_b, "hub_course": hub_course, "own": own}


# --- pure rule ------------------------------------------------------------------------------


def test_a_browser_course_belongs_to_the_authors_first_centre_or_the_hub() -> None:
    assert rules.course_owner([], 1) == 1
    assert rules.course_owner([(5, False), (7, False)], 1) == 5
    assert rules.course_owner([(5, False), (1, True)], 1) == 1


# --- ownership --------------------------------------------------------------------------------


def test_the_importer_gives_the_hub_or_the_centre_named(two: dict[str, Any]) -> None:
    assert two["hub_course"].centre_id == two["hub"].id
    assert two["own"].centre_id == two["a"].id


def test_an_unknown_centre_code_is_a_path_line_error(app: Flask, two: dict[str, Any],
                                                     tmp_path: Path, clock: Any) -> None:
    folder = tmp_path / "stray"
    folder.mkdir()
    (folder / "course.md").write_text("---\ntitle: Stray\nsummary: S.\ncentre: NOPE\n---\nHi.\n")
    (folder / "01-intro.md").write_text("---\ntitle: Intro\n---\nText.\n")
    with pytest.raises(ContentError) as refused:
        import_folders([folder], now=clock())
    lines = [str(problem) for problem in refused.value.problems]
    assert lines == [f'{folder}/course.md:4: error: centre "NOPE" is not a centre of this '
                     "TrainHub: use the code shown on its centre page [unknown-centre]"]
    (folder / "course.md").write_text("---\ntitle: Stray\nsummary: S.\ncentre: no way\n---\n")
    with pytest.raises(ContentError) as refused:
        import_folders([folder], now=clock())
    assert "[bad-centre-code]" in str(refused.value.problems[0])


def test_a_course_created_in_the_browser_belongs_to_the_authors_centre(
        two: dict[str, Any], make_user: Callable[..., User], clock: Any) -> None:
    author = make_user("author@example.org")
    assert authored_course_centre(author, clock()) == two["hub"].id
    grant_centre_role(two["grace"], two["b"], author, "instructor", clock())
    assert authored_course_centre(author, clock()) == two["b"].id


# --- sharing and offering ---------------------------------------------------------------------


def test_the_owner_shares_another_centre_offers_and_withdraws(two: dict[str, Any],
                                                              clock: Any) -> None:
    course = two["hub_course"]
    with pytest.raises(DomainError):  # not shared yet
        offer_course(two["admin_a"], two["a"], course.id, clock())
    with pytest.raises(PermissionDenied):  # only the owner's administrator shares
        share_course(two["admin_a"], course.id, True, clock())
    assert share_course(two["hub_admin"], course.id, True, clock())
    assert course.network_shared
    assert offer_course(two["admin_a"], two["a"], course.id, clock())
    assert not offer_course(two["admin_a"], two["a"], course.id, clock())
    with pytest.raises(PermissionDenied):  # at their own centre only
        offer_course(two["admin_a"], two["b"], course.id, clock())
    with pytest.raises(DomainError):  # its own course is in its catalogue already
        offer_course(two["admin_a"], two["a"], two["own"].id, clock())
    listed = {c.slug: c for c in catalogue_courses(two["a"])}
    assert listed["gmp-basics"].offered and listed["aaa-local"].owned_by(two["a"])
    assert withdraw_course(two["admin_a"], two["a"], course.id, clock())
    assert not withdraw_course(two["admin_a"], two["a"], course.id, clock())
    offer_course(two["admin_a"], two["a"], course.id, clock())
    # No longer shared: withdrawn from every other catalogue.
    assert share_course(two["grace"], course.id, False, clock())
    assert db.session.scalars(select(CentreCourse)).all() == []
    actions = list(db.session.scalars(select(Event.action).where(Event.action.in_((
        "course.shared", "course.unshared", "centre.course_offered",
        "centre.course_withdrawn"))).order_by(Event.seq)))
    assert actions == ["course.shared", "centre.course_offered", "centre.course_withdrawn",
                       "centre.course_offered", "course.unshared", "centre.course_withdrawn"]


# --- the catalogue by centre and enrolling through it -----------------------------------------


def test_a_centres_catalogue_lists_its_own_and_offered_courses(
        app: Flask, two: dict[str, Any], client: Any, clock: Any) -> None:
    share_course(two["grace"], two["hub_course"].id, True, clock())
    db.session.commit()
    page = client.get("/catalog/?centre=BBB").get_data(as_text=True)
    assert "Courses at Centre BBB" in page and "GMP basics" not in page
    offer_course(two["admin_b"], two["b"], two["hub_course"].id, clock())
    db.session.commit()
    page = client.get("/catalog/?centre=BBB").get_data(as_text=True)
    assert "GMP basics" in page and "AAA local course" not in page
    assert f"/centres/BBB/theme-{two['b'].theme_version}.css" in page
    assert "/catalog/gmp-basics/?centre=BBB" in page
    assert client.get("/catalog/?centre=NOPE").status_code == 404
    assert client.get("/catalog/aaa-local/?centre=BBB").status_code == 404
    everything = client.get("/catalog/").get_data(as_text=True)
    assert "GMP basics" in everything and "AAA local course" in everything


def test_enrolling_through_a_centres_catalogue_records_that_centre(
        app: Flask, two: dict[str, Any], people: dict[str, User], client: Any,
        clock: Any) -> None:
    course = two["hub_course"]
    share_course(two["grace"], course.id, True, clock())
    offer_course(two["admin_b"], two["b"], course.id, clock())
    db.session.commit()
    login(client, "amina@example.org")
    page = client.get("/catalog/gmp-basics/?centre=BBB").get_data(as_text=True)
    assert 'name="centre" value="BBB"' in page
    refused = client.post("/learning/gmp-basics/enrol", data={"centre": "AAA"})
    assert refused.status_code == 302
    assert db.session.scalars(select(Enrolment)).all() == []
    client.post("/learning/gmp-basics/enrol", data={"centre": "BBB"})
    enrolment = db.session.scalars(select(Enrolment).where(
        Enrolment.user_id == people["amina"].id)).one()
    assert enrolment.centre_id == two["b"].id
    # Without a centre, the course's own.
    g.pop("_login_user", None)
    other = app.test_client()
    login(other, "kim@example.org")
    other.post("/learning/gmp-basics/enrol")
    assert db.session.scalars(select(Enrolment.centre_id).where(
        Enrolment.user_id == people["kim"].id)).one() == two["hub"].id


def test_the_centre_page_offers_and_withdraws_through_buttons(
        app: Flask, two: dict[str, Any], client: Any, clock: Any) -> None:
    course = two["hub_course"]
    login(client, "admin-hub@example.org")
    assert client.post(f"/centres/HUB/courses/{course.id}/share").status_code == 302
    assert client.post(f"/centres/HUB/courses/{two['own'].id}/share").status_code == 404
    assert client.post(f"/centres/AAA/courses/{two['own'].id}/share").status_code == 403
    g.pop("_login_user", None)
    client = app.test_client()
    login(client, "admin-b@example.org")
    page = client.get("/centres/BBB/").get_data(as_text=True)
    assert "GMP basics" in page and "Offer here" in page
    assert client.post(f"/centres/BBB/courses/{course.id}/share").status_code == 404
    assert client.post(f"/centres/AAA/courses/{course.id}/offer").status_code == 403
    assert client.post(f"/centres/BBB/courses/{course.id}/offer").status_code == 302
    assert db.session.get(CentreCourse, (two["b"].id, course.id)) is not None
    assert client.post(f"/centres/BBB/courses/{course.id}/withdraw").status_code == 302
    assert db.session.get(CentreCourse, (two["b"].id, course.id)) is None


def test_the_centre_catalogue_reads_a_bounded_number_of_statements(
        app: Flask, two: dict[str, Any], client: Any, make_course: Callable[..., Course],
        clock: Any) -> None:
    def statements() -> int:
        db.session.remove()
        g.pop("_login_user", None)
        with count_queries() as seen:
            assert client.get("/catalog/?centre=BBB").status_code == 200
        return len(seen)

    share_course(two["grace"], two["hub_course"].id, True, clock())
    offer_course(two["grace"], two["b"], two["hub_course"].id, clock())
    db.session.commit()
    b_id, grace_id = two["b"].id, two["grace"].id
    few = statements()
    for n in range(3):
        course = make_course(f"shared-{n}")
        grace = db.session.get(User, grace_id)
        share_course(grace, course.id, True, clock())
        centre = db.session.get(Centre, b_id)
        assert centre is not None
        offer_course(grace, centre, course.id, clock())
    db.session.commit()
    assert statements() == few


def test_publishing_in_the_browser_gives_the_authors_centre_and_checks_centre(
        two: dict[str, Any], people: dict[str, User], clock: Any) -> None:
    from app.authoring.drafts import create_course, save_file
    from app.authoring.publishing import publish
    from app.authoring.revisions import find_source, revision_files

    olu = people["olu"]  # instructor at the hub, by the account-wide role
    grant_centre_role(two["grace"], two["b"], olu, "instructor", clock())
    create_course(olu, "hub-made", "Hub made", clock())
    made = find_source("hub-made")
    assert made is not None
    publish(olu, made, clock())
    assert db.session.scalar(select(Course.centre_id).where(Course.slug == "hub-made")) \
        == two["hub"].id
    author = people["amina"]
    grant_centre_role(two["grace"], two["b"], author, "instructor", clock())
    create_course(author, "bbb-made", "BBB made", clock())
    source = find_source("bbb-made")
    assert source is not None and source.draft_revision_id is not None
    publish(author, source, clock())
    assert db.session.scalar(select(Course.centre_id).where(Course.slug == "bbb-made")) \
        == two["b"].id
    draft = source.draft_revision_id
    assert draft is not None
    text = revision_files(draft)["course.md"].decode()
    save_file(author, source, "course.md", text.replace("---\n", "---\ncentre: AAA\n", 1),
              base_revision_id=draft, now=clock())
    with pytest.raises(ContentError) as refused:
        publish(author, source, clock())
    assert "[centre-not-yours]" in str(refused.value.problems[0])


def test_the_training_record_names_the_centre_of_each_entry(
        app: Flask, two: dict[str, Any], people: dict[str, User],
        client: Any, clock: Any) -> None:
    import csv
    import io

    from app.learning.services import enrol

    amina = people["amina"]
    share_course(two["grace"], two["hub_course"].id, True, clock())
    offer_course(two["admin_b"], two["b"], two["hub_course"].id, clock())
    enrol(amina, two["hub_course"], clock(), centre_id=two["b"].id)
    enrol(amina, two["own"], clock())
    db.session.commit()
    login(client, "grace@example.org")
    page = client.get(f"/records/learners/{amina.id}").get_data(as_text=True)
    assert "Centre BBB" in page and "Centre AAA" in page
    rows = list(csv.reader(io.StringIO(client.get(
        f"/records/learners/{amina.id}/record.csv").data.decode("utf-8-sig"))))
    assert rows[1][:4] == ["time (UTC)", "entry", "course", "centre"]
    assert {(row[2], row[3]) for row in rows[2:-1]} == {("GMP basics", "Centre BBB"),
                                                       ("AAA local course", "Centre AAA")}


# --- a centre administrator's people and certificates -----------------------------------------


def test_a_centre_administrator_lists_their_centres_people_only(
        app: Flask, two: dict[str, Any], people: dict[str, User], client: Any,
        clock: Any) -> None:
    from app.learning.services import enrol

    enrol(people["amina"], two["own"], clock())  # through AAA
    enrol(people["kim"], two["hub_course"], clock())  # through the hub
    db.session.commit()
    login(client, "admin-a@example.org")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Amina Yusuf" in page and "Admin AAA" in page
    assert "Kim Min-jun" not in page and "Admin BBB" not in page and "Outbox" not in page
    assert f"/records/learners/{people['amina'].id}" in page
    assert client.get(f"/admin/users/{people['amina'].id}").status_code == 403
    g.pop("_login_user", None)
    learner = app.test_client()
    login(learner, "kim@example.org")
    assert learner.get("/admin/users").status_code == 403


def test_a_centre_administrator_revokes_their_centres_certificates_only(
        app: Flask, two: dict[str, Any], people: dict[str, User], clock: Any) -> None:
    from app.certificates.models import Certificate
    from app.certificates.services import may_revoke
    from app.learning.services import enrol

    admin_a, admin_b = two["admin_a"], two["admin_b"]
    enrolment = enrol(people["amina"], two["own"], clock())
    certificate = Certificate(code="X" * 24, user_id=people["amina"].id,
                              course_id=two["own"].id, enrolment_id=enrolment.id,
                              learner_name="Amina Yusuf", course_title="AAA local course",
                              completed_at=clock(), issued_at=clock())
    db.session.add(certificate)
    db.session.flush()
    assert may_revoke(admin_a, certificate) and not may_revoke(admin_b, certificate)
    assert may_revoke(two["grace"], certificate) and not may_revoke(people["ivan"], None)
    db.session.commit()
    for who, status in (("admin-a@example.org", 200), ("admin-b@example.org", 403)):
        g.pop("_login_user", None)
        client = app.test_client()
        login(client, who)
        assert client.get(f"/certificates/{certificate.code}/revoke").status_code == status
        listed = client.get("/certificates/manage").get_data(as_text=True)
        assert ("Amina Yusuf" in listed) is (status == 200)


def test_the_dashboard_lists_the_viewers_centres(app: Flask, two: dict[str, Any],
                                                 client: Any) -> None:
    login(client, "admin-a@example.org")
    page = client.get("/learning/dashboard").get_data(as_text=True)
    assert "Your centres" in page and 'href="/centres/AAA/"' in page
    assert "Centre administrator" in page
