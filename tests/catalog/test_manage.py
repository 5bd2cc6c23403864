"""A course's "Manage course" page: each feature's staff pages, as far as the viewer may
open them, with what waits there; a bounded number of statements however much waits."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask import g
from sqlalchemy import select

from app.auth.models import User
from app.classroom.services import Schedule, schedule_session
from app.content.models import Checklist, Course, Module, Quiz
from app.core.roles import Role
from app.extensions import db
from app.learning.models import Enrolment
from app.learning.services import assign_staff, decide_enrolment, enrol
from app.practicals.services import request_assessment
from app.quizzes.services import save_answers, start_attempt, submit_attempt
from tests.conftest import choice_token, count_queries, login
from tests.course_files import ESSAY_QUIZ, module_md

SLUG = "aseptic-basics"
FILES = {
    "course.md": "---\ntitle: Aseptic basics\nsummary: Gowning and cleanrooms.\n"
                 "enrolment: approval\n---\nWelcome.\n",
    "01-intro.md": "---\ntitle: Intro\n---\nRead this.\n",
    "02-report.md": module_md("Report", body=ESSAY_QUIZ),
    "03-workshop.md": "---\ntitle: Workshop\nmodality: classroom\nsession:\n"
                      "  attendance: required\n  capacity: 8\n---\nTogether.\n",
    "04-gowning.md": """---
title: Gowning
modality: hands-on
---
```checklist
id: gowning-signoff
pass_mark: all critical, 90%
- [ ] Removes jewellery {critical}
- [ ] Performs hand hygiene
```
""",
}
# Every staff page the course has, by title; who sees which is below.
ADMIN = ["Roster and requests", "Course staff", "Preview the modules", "Grading queue",
         "Gradebook", "Certificates", "Live sessions", "Edit the course"]
INSTRUCTOR = ["Roster and requests", "Preview the modules", "Gradebook", "Live sessions",
              "Edit the course"]
ASSESSOR = ["Preview the modules", "Grading queue", "Live sessions", "Hands-on assessments",
            "Preview the draft"]


@pytest.fixture
def course(app, runner, clock, make_user, tmp_path: Path) -> Course:
    folder = tmp_path / SLUG
    for name, text in FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    result = runner.invoke(args=["courses", "import", str(folder)])  # with its sources
    assert result.exit_code == 0, result.output
    grace = make_user("grace@example.org", name="Grace Admin", roles=(Role.ADMIN,))
    ivan = make_user("ivan@example.org", name="Ivan Instructor", roles=(Role.INSTRUCTOR,))
    asha = make_user("asha@example.org", name="Asha Assessor", roles=(Role.ASSESSOR,))
    make_user("amina@example.org", name="Amina Yusuf")
    make_user("kim@example.org", name="Kim Min-jun")
    found = db.session.scalar(select(Course).where(Course.slug == SLUG))
    assert found is not None
    assign_staff(grace, found, ivan, "instructor", clock())
    assign_staff(grace, found, asha, "assessor", clock())
    db.session.commit()
    return found


def _waiting(clock, learners: list[User]) -> None:
    """Each learner asks to join; all but the last are accepted, submit the essay and ask
    for the gowning assessment, and a session is scheduled for each."""
    course = db.session.scalar(select(Course))
    assert course is not None
    ivan = db.session.scalar(select(User).where(User.email == "ivan@example.org"))
    modules = {m.slug: m for m in db.session.scalars(select(Module))}
    quiz = db.session.scalar(select(Quiz))
    checklist = db.session.scalar(select(Checklist))
    assert ivan is not None and quiz is not None and checklist is not None
    for n, learner in enumerate(learners):
        enrolment = enrol(learner, course, clock())
        if n == len(learners) - 1:
            break  # the last one's request waits
        decide_enrolment(ivan, enrolment, course, accept=True, reason="", now=clock())
        attempt = start_attempt(learner, quiz, clock())
        save_answers(learner, attempt, {"1": [choice_token(attempt, "1", 0)],
                                        "2": ["I tell QA at once."]}, 1, clock())
        submit_attempt(learner, attempt, clock())
        request_assessment(learner, checklist, clock())
        start = clock() + timedelta(days=7 + n)
        schedule_session(ivan, course, Schedule(
            module=modules["workshop"], starts_at=start, ends_at=start + timedelta(hours=2),
            timezone="UTC", capacity=None, facilitator=ivan, location="Room B"), clock())
    db.session.commit()


def _links(page: str) -> dict[str, tuple[str, str]]:
    """Title -> (address, what waits there) of each card of the page."""
    cards = re.findall(r'<li class="card">\s*<h2><a href="([^"]+)">([^<]+)</a></h2>'
                       r'(.*?)</li>', page, re.S)
    counted = {title: re.search(r'<p class="meta">(.*?)</p>', rest, re.S)
               for _, title, rest in cards}
    return {title: (href.replace("&amp;", "&"), " ".join(re.sub(
        r"<[^>]+>", "", found.group(1)).split()) if (found := counted[title]) else "")
        for href, title, _ in cards}


def _people(*emails: str) -> list[User]:
    return [db.session.scalars(select(User).where(User.email == e)).one() for e in emails]


@pytest.mark.parametrize(("who", "titles"), [("grace@example.org", ADMIN),
                                             ("ivan@example.org", INSTRUCTOR),
                                             ("asha@example.org", ASSESSOR)])
def test_each_role_sees_the_staff_pages_it_may_open(client, course, clock, who: str,
                                                    titles: list[str]) -> None:
    _waiting(clock, _people("amina@example.org", "kim@example.org"))
    login(client, who)
    response = client.get(f"/catalog/{SLUG}/manage")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    links = _links(response.get_data(as_text=True))
    assert list(links) == titles
    for title, (url, _) in links.items():
        assert client.get(url).status_code == 200, (title, url)  # each one opens


def test_the_counts_say_what_waits(client, course, clock) -> None:
    _waiting(clock, _people("amina@example.org", "kim@example.org"))
    login(client, "grace@example.org")
    links = _links(client.get(f"/catalog/{SLUG}/manage").get_data(as_text=True))
    assert links == {
        "Roster and requests": (f"/learning/{SLUG}/roster", "1 request to join waiting"),
        "Course staff": (f"/learning/{SLUG}/staff", "2 people on the staff"),
        "Preview the modules": (f"/learning/{SLUG}/modules/intro", ""),
        "Grading queue": (f"/grading/?course={course.id}", "1 attempt to grade"),
        "Gradebook": (f"/grading/{SLUG}/gradebook", ""),
        "Certificates": ("/certificates/manage?q=Aseptic+basics", "0 certificates issued"),
        "Live sessions": (f"/classroom/courses/{SLUG}/", "1 session coming up"),
        "Edit the course": (f"/authoring/{SLUG}/", ""),
    }
    client.post("/auth/logout")
    login(client, "asha@example.org")
    links = _links(client.get(f"/catalog/{SLUG}/manage").get_data(as_text=True))
    assert links["Hands-on assessments"] == (f"/practicals/courses/{SLUG}/",
                                             "1 learner asked to be assessed")
    assert links["Preview the draft"] == (f"/authoring/{SLUG}/preview/", "")


def test_learners_and_strangers_are_kept_out(client, course, clock) -> None:
    _waiting(clock, _people("amina@example.org", "kim@example.org"))
    assert client.get(f"/catalog/{SLUG}/manage").status_code == 302  # log in first
    for who in ("amina@example.org", "kim@example.org"):  # enrolled, and asking to join
        login(client, who)
        assert client.get(f"/catalog/{SLUG}/manage").status_code == 403
        assert "Manage course" not in client.get(f"/catalog/{SLUG}/").get_data(as_text=True)
        client.post("/auth/logout")
    login(client, "grace@example.org")
    assert client.get("/catalog/no-such-course/manage").status_code == 404


def test_the_course_and_its_staff_pages_lead_to_it(client, course) -> None:
    manage = f'href="/catalog/{SLUG}/manage"'
    login(client, "ivan@example.org")
    assert manage in client.get(f"/catalog/{SLUG}/").get_data(as_text=True)
    for url in (f"/learning/{SLUG}/roster", f"/grading/{SLUG}/gradebook",
                f"/grading/{SLUG}/quizzes/deviation-report/analysis",
                f"/classroom/courses/{SLUG}/", f"/classroom/courses/{SLUG}/schedule",
                f"/authoring/{SLUG}/"):
        assert manage in client.get(url).get_data(as_text=True), url
    client.post("/auth/logout")
    login(client, "asha@example.org")
    assert manage in client.get(f"/practicals/courses/{SLUG}/").get_data(as_text=True)
    client.post("/auth/logout")
    login(client, "grace@example.org")
    assert manage in client.get(f"/learning/{SLUG}/staff").get_data(as_text=True)


def _statements(client, url: str) -> int:
    """The statements of one request, read cold: the viewer too (the tests' app context,
    and its `g`, outlives each request)."""
    db.session.remove()
    g.pop("_login_user", None)
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize("who", ["grace@example.org", "asha@example.org"])
def test_the_page_reads_a_fixed_number_of_statements(client, course, clock, make_user,
                                                     who: str) -> None:
    _waiting(clock, _people("amina@example.org", "kim@example.org"))
    login(client, who)
    few = _statements(client, f"/catalog/{SLUG}/manage")
    _waiting(clock, [make_user(f"more{n}@example.org") for n in range(12)])
    assert db.session.scalar(select(Enrolment.id).where(Enrolment.status == "requested")
                             .limit(1).offset(1)) is not None  # two requests wait now
    many = _statements(client, f"/catalog/{SLUG}/manage")
    assert few == many and many <= 10
