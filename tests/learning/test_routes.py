"""Catalog, course, module, dashboard and roster pages through the test client."""

from __future__ import annotations

import csv
import io

import pytest
from flask import g

from app.content.importer import import_courses
from app.content.loader import load_courses
from app.extensions import db
from tests.conftest import count_queries, login
from tests.course_files import ModuleFile, module_md


def test_catalog_filters_and_search(client, gxp_course, marathon_course, make_course) -> None:
    make_course("vaccinology-essentials", ["immunology-basics"],
                title="Vaccinology Essentials", summary="How vaccines work and are made.")
    make_course("biologics-manufacturing", [ModuleFile("cell-culture-practical",
                                                       modality="hands-on")],
                title="Biologics manufacturing", summary="Antibodies from cell to vial.")
    page = client.get("/catalog/").get_data(as_text=True)
    assert "4 courses" in page and "GxP Standard Practice" in page
    assert "hands-on" in page  # modalities on the card
    hands_on = client.get("/catalog/?modality=hands-on").get_data(as_text=True)
    assert "2 courses" in hands_on and "GxP Standard Practice" in hands_on
    assert "Biologics manufacturing" in hands_on
    search = client.get("/catalog/?text=vaccinology").get_data(as_text=True)
    assert "1 course" in search and "Vaccinology Essentials" in search
    assert "0 courses" in client.get("/catalog/?level=nonsense").get_data(as_text=True)


def test_course_page_for_visitors_learners_and_approval_courses(client, staffed, people) -> None:
    page = client.get("/catalog/gxp-standard-practice/").get_data(as_text=True)
    assert "Log in to enrol" in page and "Why GxP?" in page
    assert "What you will be able to do" in page  # the modules' objectives
    login(client, "amina@example.org")
    assert "Enrol</button>" in client.get("/catalog/gxp-standard-practice/").get_data(
        as_text=True)
    marathon = client.get("/catalog/gmp-vaccine-marathon/").get_data(as_text=True)
    assert "Ask to join" in marathon and (
        'Complete first: <a href="/catalog/gxp-standard-practice/">GxP Standard Practice</a>.'
        in marathon)
    client.post("/learning/gmp-vaccine-marathon/enrol")
    marathon = client.get("/catalog/gmp-vaccine-marathon/").get_data(as_text=True)
    assert "waiting for an instructor" in marathon
    assert client.get("/catalog/nope/").status_code == 404


def test_learner_reads_and_completes_a_module(client, gxp_course, people) -> None:
    login(client, "amina@example.org")
    not_enrolled = client.get("/learning/gxp-standard-practice/modules/why-gxp")
    assert not_enrolled.status_code == 302
    client.post("/learning/gxp-standard-practice/enrol")
    page = client.get("/learning/gxp-standard-practice/modules/why-gxp").get_data(as_text=True)
    assert "Mark as complete" in page and "Facilitator notes" not in page
    assert 'class="quiz-panel"' in page and "why-gxp-check/start" in page
    response = client.post("/learning/gxp-standard-practice/modules/why-gxp/complete")
    assert response.headers["Location"].endswith(
        "/learning/gxp-standard-practice/modules/good-documentation-practice")
    dashboard = client.get("/learning/dashboard").get_data(as_text=True)
    assert "20% complete" in dashboard and "Good documentation practice" in dashboard


def test_a_locked_module_says_what_to_finish_and_cannot_be_completed(client, gxp_course,
                                                                     people) -> None:
    login(client, "amina@example.org")
    client.post("/learning/gxp-standard-practice/enrol")
    page = client.get("/learning/gxp-standard-practice/modules/validation-basics").get_data(
        as_text=True)
    assert "This module is locked" in page
    assert "Finish these modules first: Good documentation practice" in page
    assert "Validation and risk management basics" in page
    assert "V-model" not in page  # the lesson body is not sent
    refused = client.post("/learning/gxp-standard-practice/modules/validation-basics/complete",
                          follow_redirects=True)
    assert "This module is locked: finish its prerequisites first." in refused.get_data(
        as_text=True)


def test_a_learner_cannot_open_another_courses_module_by_url(client, staffed, people) -> None:
    login(client, "amina@example.org")
    assert client.get("/learning/gmp-vaccine-marathon/modules/data-integrity").status_code == 302
    assert client.post("/learning/gmp-vaccine-marathon/modules/data-integrity/complete"
                       ).status_code == 403


def test_roster_and_requests_only_for_the_courses_instructors(client, staffed, people) -> None:
    login(client, "amina@example.org")
    client.post("/learning/gxp-standard-practice/enrol")
    client.post("/learning/gmp-vaccine-marathon/enrol")
    assert client.get("/learning/gxp-standard-practice/roster").status_code == 403
    client.post("/auth/logout")
    login(client, "olu@example.org")  # an instructor, but not of these courses
    assert client.get("/learning/gmp-vaccine-marathon/roster").status_code == 403
    from sqlalchemy import select

    from app.learning.models import Enrolment
    request = db.session.scalar(select(Enrolment).where(Enrolment.status == "requested"))
    assert request is not None
    url = f"/learning/gmp-vaccine-marathon/requests/{request.id}"
    assert client.post(url, data={"accept": "Accept"}).status_code == 403
    client.post("/auth/logout")
    login(client, "ivan@example.org")
    roster = client.get("/learning/gmp-vaccine-marathon/roster").get_data(as_text=True)
    assert "Requests to join" in roster and "Amina Yusuf" in roster
    assert client.post(url, data={"decline": "Decline", "reason": ""}).status_code == 302
    assert "Say why" in client.get("/learning/gmp-vaccine-marathon/roster").get_data(
        as_text=True)
    client.post(url, data={"accept": "Accept"})
    db.session.refresh(request)
    assert request.status == "active"
    gxp = client.get("/learning/gxp-standard-practice/roster?country=NG").get_data(
        as_text=True)
    assert "Amina Yusuf" in gxp
    assert "No learner matches these filters." in client.get(
        "/learning/gxp-standard-practice/roster?country=KR").get_data(as_text=True)
    response = client.get("/learning/gxp-standard-practice/roster.csv")
    assert response.is_streamed
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:6] == ["name", "email", "country", "organisation", "enrolment", "percent"]
    assert rows[1][:5] == ["Amina Yusuf", "amina@example.org", "Nigeria",
                           "Biovaccines Nigeria", "active"]


def test_the_roster_counts_what_its_table_shows(client, staffed, people, make_user) -> None:
    """A request to join is not a learner: the count beside the table agrees with it."""
    make_user("bao@example.org", name="Bao Tran", country=None)
    login(client, "bao@example.org")
    client.post("/learning/gmp-vaccine-marathon/enrol")  # an approval course: a request
    client.post("/auth/logout")
    login(client, "ivan@example.org")
    only_a_request = client.get("/learning/gmp-vaccine-marathon/roster").get_data(
        as_text=True)
    assert "0 learners, 1 request to join" in only_a_request
    assert "No learners yet." in only_a_request and "Bao Tran" in only_a_request
    client.post("/auth/logout")
    login(client, "amina@example.org")
    client.post("/learning/gxp-standard-practice/enrol")
    client.post("/auth/logout")
    login(client, "kim@example.org")
    client.post("/learning/gxp-standard-practice/enrol")
    client.post("/auth/logout")
    login(client, "ivan@example.org")
    both = client.get("/learning/gxp-standard-practice/roster").get_data(as_text=True)
    assert "2 learners</p>" in both and "No learners yet." not in both
    assert "Amina Yusuf" in both and "Kim Min-jun" in both
    filtered = client.get("/learning/gxp-standard-practice/roster?country=KR").get_data(
        as_text=True)
    assert "1 learner</p>" in filtered and "Amina Yusuf" not in filtered


def test_the_roster_prints_a_dash_for_facts_not_given(client, staffed, people,
                                                     make_user) -> None:
    make_user("bao@example.org", name="Bao Tran", country=None)
    make_user("li@example.org", name="Li Wei", country="CN")
    for email, course in (("bao@example.org", "gmp-vaccine-marathon"),
                          ("bao@example.org", "gxp-standard-practice"),
                          ("li@example.org", "gxp-standard-practice")):
        login(client, email)
        client.post(f"/learning/{course}/enrol")
        client.post("/auth/logout")
    login(client, "ivan@example.org")
    request = client.get("/learning/gmp-vaccine-marathon/roster").get_data(as_text=True)
    assert "<strong>Bao Tran</strong></label> · — · asked" in request
    table = client.get("/learning/gxp-standard-practice/roster").get_data(as_text=True)
    assert '<span class="muted">—</span>' in table
    assert '<span class="muted">China</span>' in table
    assert "· ·" not in request + table and "· </span>" not in table


def test_staff_preview_shows_facilitator_notes_and_unlocks(client, staffed, people) -> None:
    login(client, "ivan@example.org")
    page = client.get("/learning/gxp-standard-practice/modules/validation-basics").get_data(
        as_text=True)
    assert "Staff preview" in page and "Facilitator notes" in page
    assert "This module is locked" not in page


def test_staff_of_a_course_can_see_its_learners_training_records(client, staffed,
                                                                 people) -> None:
    login(client, "amina@example.org")
    client.post("/learning/gxp-standard-practice/enrol")
    client.post("/auth/logout")
    login(client, "ivan@example.org")
    assert client.get(f"/records/learners/{people['amina'].id}").status_code == 200
    assert client.get(f"/records/learners/{people['kim'].id}").status_code == 403


def test_admin_assigns_course_staff(client, gxp_course, people) -> None:
    login(client, "grace@example.org")
    url = "/learning/gxp-standard-practice/staff"
    bad = client.post(url, data={"email": "amina@example.org", "role": "assessor"})
    assert "does not hold the Assessor role" in bad.get_data(as_text=True)
    ok = client.post(url, data={"email": "ivan@example.org", "role": "assessor"})
    assert ok.status_code == 302
    assert "Ivan Instructor (ivan@example.org), assessor" in client.get(url).get_data(
        as_text=True)
    client.post("/auth/logout")
    login(client, "ivan@example.org")
    assert client.get(url).status_code == 403


# --- a bounded number of statements, whatever the size ----------------------------------


def _big_course(write_course, clock, slug: str, modules: int):
    folder = write_course({f"{n:03d}-m{n}.md": module_md(
        f"Module {n}", extra=f"prerequisites: [m{n - 1}]\n" if n else "")
        for n in range(modules)}, slug=slug)
    courses, problems = load_courses([folder])
    assert not problems
    import_courses(courses, now=clock())
    db.session.commit()


def _queries(client, url: str) -> int:
    with count_queries() as statements:
        assert client.get(url).status_code == 200, url
    return len(statements)


def test_a_first_view_loads_the_account_once(client, people, clock, write_course) -> None:
    """The first view of a module writes between two commits of its own (core.db's
    `begin_write` and `end_write`); the logged-in account is loaded once for all of it, not
    again after each commit (the exam's spike opens one for every learner)."""
    _big_course(write_course, clock, "course-00", 2)
    login(client, "amina@example.org")
    client.post("/learning/course-00/enrol")
    db.session.remove()
    g.pop("_login_user", None)  # as in a server: the request loads its account afresh
    with count_queries() as statements:
        assert client.get("/learning/course-00/modules/m0").status_code == 200
    assert any(s.lstrip().startswith(("INSERT", "UPDATE")) for s in statements)
    assert sum(s.lstrip().startswith("SELECT users.") for s in statements) == 1
    # The page's reads (its lesson's HTML not yet kept by this worker, the viewer's centre
    # roles for the staff checks), then the view recorded: the enrolment and module, the
    # progress row written, its audit event (with, on PostgreSQL, the chain's lock).
    assert len(statements) <= 13, "\n".join(s[:90] for s in statements)


@pytest.mark.parametrize("size", [1, 100])
def test_pages_stay_within_six_statements(client, people, clock, write_course,
                                          size: int) -> None:
    for n in range(50 if size == 100 else 1):
        _big_course(write_course, clock, f"course-{n:02d}", size if n == 0 else 1)
    login(client, "amina@example.org")
    client.post("/learning/course-00/enrol")
    for n in range(1, 50 if size == 100 else 1):
        client.post(f"/learning/course-{n:02d}/enrol")
    client.get("/learning/course-00/modules/m0")  # first view writes; the budget is for reading
    db.session.remove()
    for url in ("/catalog/", "/catalog/course-00/", "/learning/course-00/modules/m0",
                "/learning/dashboard"):
        assert _queries(client, url) <= 6, url
