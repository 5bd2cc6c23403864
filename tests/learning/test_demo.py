"""A fresh install's demo instructor and assessor teach and assess every course."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.learning.models import CourseStaff
from app.records.models import Event
from tests.conftest import login


def _passwords(output: str) -> dict[str, str]:
    """E-mail -> password, from the box that create-demo prints."""
    cells = (line.strip("| ").split() for line in output.splitlines())
    return {row[1]: row[2] for row in cells if len(row) == 3 and "@" in row[1]}


def test_the_demo_staff_are_assigned_to_every_course_with_an_event_each(
        runner, make_course) -> None:
    for slug in ("aseptic-basics", "cleanroom-gowning"):
        make_course(slug)
    result = runner.invoke(args=["users", "create-demo"])
    assert result.exit_code == 0, result.output
    assert ("The demo instructor and assessor are on the staff of 2 courses: "
            "aseptic-basics, cleanroom-gowning.") in result.output
    db.session.rollback()  # see what the command committed
    emails = {user.id: user.email for user in db.session.scalars(select(User))}
    staff = {(row.course_id, emails[row.user_id], row.role)
             for row in db.session.scalars(select(CourseStaff))}
    courses = {course_id for course_id, _, _ in staff}
    assert len(courses) == 2
    assert staff == {(course, email, role) for course in courses for email, role in (
        ("instructor@example.org", "instructor"), ("assessor@example.org", "assessor"))}
    events = db.session.scalars(select(Event).where(
        Event.action == "course.staff_assigned")).all()
    assert len(events) == 4
    assert {event.actor_name for event in events} == {"Demo Administrator"}
    assert {(event.course_id, emails[int(event.subject_id)], event.details["role"])
            for event in events} == staff


def test_the_demo_staff_open_their_pages_without_a_refusal(runner, make_course,
                                                           client) -> None:
    make_course("aseptic-basics")
    passwords = _passwords(runner.invoke(args=["users", "create-demo"]).output)
    for email, pages in (
            ("instructor@example.org", ("/catalog/aseptic-basics/manage",
                                        "/learning/aseptic-basics/roster",
                                        "/grading/aseptic-basics/gradebook")),
            ("assessor@example.org", ("/catalog/aseptic-basics/manage", "/grading/"))):
        assert login(client, email, passwords[email]).status_code == 302
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, (email, page)
        client.post("/auth/logout")


def test_without_courses_the_demo_accounts_are_made_and_the_command_says_so(runner) -> None:
    result = runner.invoke(args=["users", "create-demo"])
    assert result.exit_code == 0, result.output
    assert "No courses yet" in result.output and len(_passwords(result.output)) == 4
