"""The staff's "To do" on the home page: what waits for each person, only in the courses
they are staff of (administrators: every course), in a fixed number of statements."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import current_app, g
from sqlalchemy import select

from app.auth.models import User
from app.classroom.models import ClassSession
from app.classroom.services import (
    Mark,
    Schedule,
    record_attendance,
    register_for_session,
    schedule_session,
)
from app.content.models import Checklist, Course, Module, Quiz
from app.core.roles import Role
from app.extensions import db
from app.learning.panels import todo_items
from app.learning.services import assign_staff, decide_enrolment, enrol
from app.practicals.services import request_assessment
from app.quizzes.services import save_answers, start_attempt, submit_attempt
from tests.conftest import choice_token, count_queries, login
from tests.course_files import ESSAY_QUIZ, module_md

COURSE = """---
title: {title}
summary: Gowning and cleanrooms.
enrolment: approval
---
Welcome.
"""
MODULES = {
    "01-report.md": module_md("Report", body=ESSAY_QUIZ),
    "02-workshop.md": "---\ntitle: Workshop\nmodality: classroom\nsession:\n"
                      "  attendance: required\n  capacity: 8\n---\nTogether.\n",
    "03-gowning.md": """---
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


@pytest.fixture
def staff(make_user) -> dict[str, User]:
    return {
        "grace": make_user("grace@example.org", name="Grace Admin", roles=(Role.ADMIN,)),
        "ivan": make_user("ivan@example.org", name="Ivan Instructor", roles=(Role.INSTRUCTOR,)),
        "asha": make_user("asha@example.org", name="Asha Assessor", roles=(Role.ASSESSOR,)),
        "olu": make_user("olu@example.org", name="Olu Outsider",
                         roles=(Role.INSTRUCTOR, Role.ASSESSOR)),
        "amina": make_user("amina@example.org", name="Amina Yusuf"),
    }


@pytest.fixture(autouse=True)
def _ivan_in_lagos(staff) -> None:
    staff["ivan"].timezone = "Africa/Lagos"
    db.session.commit()


def _course(import_files, staff, slug: str, title: str, clock) -> Course:
    course = import_files({"course.md": COURSE.format(title=title), **MODULES}, slug=slug)
    grace, ivan, asha = (db.session.merge(staff[name]) for name in ("grace", "ivan", "asha"))
    assign_staff(grace, course, ivan, "instructor", clock())
    assign_staff(grace, course, asha, "assessor", clock())
    db.session.commit()
    return course


def _work(course: Course, learners: list[User], clock, *, session_at=None) -> None:
    """Each learner asks to join; all but the last are accepted, submit the essay and ask
    for the sign-off; a session of the course, with them registered, starts at
    `session_at`."""
    grace = db.session.scalars(select(User).where(User.email == "grace@example.org")).one()
    modules = {m.slug: m for m in db.session.scalars(select(Module).where(
        Module.course_id == course.id))}
    quiz = db.session.scalars(select(Quiz).where(Quiz.course_id == course.id)).one()
    checklist = db.session.scalars(select(Checklist).where(
        Checklist.course_id == course.id)).one()
    session = None
    if session_at is not None:
        session = schedule_session(grace, course, Schedule(
            module=modules["workshop"], starts_at=session_at,
            ends_at=session_at + timedelta(hours=2), timezone="UTC", capacity=None,
            facilitator=grace, location="Room B"), clock())
    for n, learner in enumerate(learners):
        enrolment = enrol(learner, course, clock())
        if n == len(learners) - 1:
            break  # the last one's request waits
        decide_enrolment(grace, enrolment, course, accept=True, reason="", now=clock())
        attempt = start_attempt(learner, quiz, clock())
        save_answers(learner, attempt, {"1": [choice_token(attempt, "1", 0)],
                                        "2": ["I tell QA at once."]}, 1, clock())
        submit_attempt(learner, attempt, clock())
        request_assessment(learner, checklist, clock())
        if session is not None:
            register_for_session(learner, session, clock())
    db.session.commit()


def _todo(user: User, clock) -> dict[str, tuple[int, str]]:
    """What waits for the user, as the home page would list it (it builds addresses)."""
    with current_app.test_request_context():
        return {item.title: (item.count, item.counted) for item in todo_items(user, clock())}


def test_each_person_sees_the_work_of_their_own_courses(import_files, staff, make_user,
                                                        clock) -> None:
    gmp = _course(import_files, staff, "gmp", "GMP basics", clock)
    other = import_files({"course.md": COURSE.format(title="Other course"), **MODULES},
                         slug="other")
    assign_staff(staff["grace"], other, staff["olu"], "assessor", clock())
    _work(gmp, [make_user(f"l{n}@example.org") for n in range(3)], clock,
          session_at=clock() + timedelta(hours=3))
    _work(other, [make_user(f"o{n}@example.org") for n in range(2)], clock)

    assert _todo(staff["ivan"], clock) == {
        "Requests to join GMP basics": (1, "request waiting"),
        "Take attendance: Workshop": (2, "learners to mark")}
    assert _todo(staff["asha"], clock) == {
        "Essays to grade": (2, "attempts waiting"),
        "Sign-offs requested in GMP basics": (2, "learners asked to be assessed")}
    assert _todo(staff["olu"], clock) == {  # an assessor of the other course only
        "Essays to grade": (1, "attempt waiting"),
        "Sign-offs requested in Other course": (1, "learner asked to be assessed")}
    # An administrator grades and decides everywhere, but signs off only as an assessor.
    assert _todo(staff["grace"], clock) == {
        "Requests to join GMP basics": (1, "request waiting"),
        "Requests to join Other course": (1, "request waiting"),
        "Essays to grade": (3, "attempts waiting"),
        "Take attendance: Workshop": (2, "learners to mark")}
    assert _todo(staff["amina"], clock) == {}


def test_results_to_release_follow_the_grades(client, import_files, staff, make_user,
                                              clock) -> None:
    gmp = _course(import_files, staff, "gmp", "GMP basics", clock)
    _work(gmp, [make_user("l0@example.org"), make_user("l1@example.org")], clock)
    login(client, "asha@example.org")
    queue = client.get("/grading/").get_data(as_text=True)
    grade_url = re.search(r'href="(/grading/attempts/\d+)"', queue)
    assert grade_url is not None
    page = client.post(grade_url.group(1), data={"points-2-0": "4", "points-2-1": "2"})
    assert page.status_code == 302
    assert _todo(staff["asha"], clock) == {
        "Results ready to release": (1, "graded attempt"),
        "Sign-offs requested in GMP basics": (1, "learner asked to be assessed")}


def test_attendance_is_for_today_on_the_viewers_clock(import_files, staff, make_user,
                                                      clock) -> None:
    """Ivan's clock is in Lagos (UTC+1): his day ends at 23:00 UTC, so a session at 22:30
    UTC is today's for him and one at 23:30 UTC tomorrow's; Grace's clock is UTC."""
    gmp = _course(import_files, staff, "gmp", "GMP basics", clock)
    learners = [make_user("l0@example.org"), make_user("l1@example.org"),
                make_user("l2@example.org")]
    _work(gmp, learners, clock, session_at=clock().replace(hour=22, minute=30))
    assert "Take attendance: Workshop" in _todo(staff["ivan"], clock)
    session = db.session.scalars(select(ClassSession)).one()
    session.starts_at = clock().replace(hour=23, minute=30)
    db.session.commit()
    assert "Take attendance: Workshop" not in _todo(staff["ivan"], clock)
    assert _todo(staff["grace"], clock)["Take attendance: Workshop"] == (2, "learners to mark")
    clock.current = session.starts_at  # marked learners no longer wait
    record_attendance(staff["grace"], session, {learners[0].id: Mark("present")}, clock())
    db.session.commit()
    assert _todo(staff["grace"], clock)["Take attendance: Workshop"] == (1, "learner to mark")


def _statements(client) -> tuple[int, str]:
    db.session.remove()
    g.pop("_login_user", None)
    with count_queries() as statements:
        page = client.get("/")
        assert page.status_code == 200
    return len(statements), page.get_data(as_text=True)


@pytest.mark.parametrize("who", ["grace@example.org", "ivan@example.org",
                                 "asha@example.org"])
def test_the_home_page_reads_a_fixed_number_of_statements(client, import_files, staff,
                                                          make_user, clock, who: str) -> None:
    first = _course(import_files, staff, "gmp", "GMP basics", clock)
    _work(first, [make_user("l0@example.org"), make_user("l1@example.org")], clock,
          session_at=clock() + timedelta(hours=1))
    login(client, who)
    few, page = _statements(client)
    assert "To do" in page
    for n in range(6):
        course = _course(import_files, staff, f"course-{n}", f"Course {n}", clock)
        _work(course, [make_user(f"m{n}-{k}@example.org") for k in range(3)], clock,
              session_at=clock() + timedelta(hours=2))
    many, page = _statements(client)
    assert few == many and many <= 7
    assert "Course 5" in page


def test_learners_see_no_todo_and_pay_nothing_for_it(client, staff, clock) -> None:
    login(client, "amina@example.org")
    db.session.remove()
    g.pop("_login_user", None)
    with count_queries() as statements:
        page = client.get("/").get_data(as_text=True)
    assert "To do" not in page and "Welcome, Amina Yusuf" in page
    assert len(statements) == 1  # the session user, as before


def test_assessors_reach_the_requests_from_the_header(client, import_files, staff,
                                                      make_user, clock) -> None:
    gmp = _course(import_files, staff, "gmp", "GMP basics", clock)
    _work(gmp, [make_user("l0@example.org", name="Lena Learner"),
                make_user("l1@example.org")], clock)
    login(client, "asha@example.org")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/practicals/requests"' in home
    page = client.get("/practicals/requests").get_data(as_text=True)
    assert "Lena Learner" in page and "Start assessment" in page
    client.post("/auth/logout")
    login(client, "olu@example.org")  # assesses no course
    page = client.get("/practicals/requests").get_data(as_text=True)
    assert "Lena Learner" not in page and "not an assessor of any course" in page
    client.post("/auth/logout")
    login(client, "ivan@example.org")  # an instructor only
    assert client.get("/practicals/requests").status_code == 403
