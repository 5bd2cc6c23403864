"""The per-worker outline cache: pages read a course's structure once per import, and every
import that changes the course (a new file, an edit, a roll back) shows at once."""

from __future__ import annotations

import re

from flask import url_for

from app.content.importer import import_courses
from app.content.loader import load_courses
from app.core.urls import site_url
from app.extensions import db
from app.learning.outline import lesson, outline, outlines
from app.learning.queries import course_view
from tests.conftest import count_queries, login
from tests.course_files import module_md


def _import(folder, clock):
    courses, problems = load_courses([folder])
    assert not problems, problems
    summaries = import_courses(courses, now=clock())
    db.session.commit()
    return summaries


def _version_one(write_course):
    return write_course({"01-intro.md": module_md("Cleanroom grades", body="Grade A is first."),
                         "02-gowning.md": module_md("Gowning order")})


def test_a_warm_course_view_reads_only_the_viewer_rows(app, clock, write_course,
                                                         make_user) -> None:
    _import(_version_one(write_course), clock)
    learner = make_user()
    assert course_view("aseptic-basics", learner) is not None  # fills the cache
    with count_queries() as statements:
        view = course_view("aseptic-basics", learner)
    assert view is not None and [m.title for m in view.modules] == [
        "Cleanroom grades", "Gowning order"]
    assert len(statements) == 2  # course with enrolment, and the viewer's own facts


def test_every_changing_import_shows_at_once_and_an_unchanged_one_keeps_the_cache(
        app, clock, write_course, make_user) -> None:
    folder = _version_one(write_course)
    _import(folder, clock)
    learner = make_user()
    first = course_view("aseptic-basics", learner)
    assert first is not None
    generation = first.course.generation
    body = lesson(first.course, first.modules[0].id)
    assert "Grade A is first." in body.segments[0][0]

    # The same clock for every import: the generation, not the time, tells the cache.
    write_course({"01-intro.md": module_md("Cleanroom classes", body="Grade B follows."),
                  "02-gowning.md": module_md("Gowning order"),
                  "03-exit.md": module_md("Leaving the cleanroom")})
    _import(folder, clock)
    second = course_view("aseptic-basics", learner)
    assert second is not None and second.course.generation != generation
    assert [m.title for m in second.modules] == [
        "Cleanroom classes", "Gowning order", "Leaving the cleanroom"]
    assert "Grade B follows." in lesson(second.course, second.modules[0].id).segments[0][0]

    # Back to the first files: the same content hash as before, yet a new generation.
    _version_one(write_course)
    _import(folder, clock)
    third = course_view("aseptic-basics", learner)
    assert third is not None
    assert third.course.generation not in (generation, second.course.generation)
    assert [m.title for m in third.modules] == ["Cleanroom grades", "Gowning order"]
    assert "Grade A is first." in lesson(third.course, third.modules[0].id).segments[0][0]

    assert _import(folder, clock)[0].status == "unchanged"
    assert outline(third.course.id, third.course.generation) is third.course


def test_the_cache_belongs_to_the_app(make_app, clock, write_course) -> None:
    first, second = make_app(), make_app()
    with first.app_context():
        _import(_version_one(write_course), clock)
        view = course_view("aseptic-basics", None)
        assert view is not None
        kept = view.course
        assert outline(kept.id, kept.generation) is kept
    with second.app_context():
        again = outline(kept.id, kept.generation)
        assert again is not kept and again == kept  # read again: another app, its own cache


def test_a_cold_dashboard_reads_all_outlines_together(app, clock, write_course, make_user,
                                                      client) -> None:
    for n in range(12):
        _import(write_course({"01-a.md": module_md(f"Module of course {n}")},
                             slug=f"course-{n:02d}"), clock)
    make_user("amina@example.org")
    login(client, "amina@example.org")
    for n in range(12):
        client.post(f"/learning/course-{n:02d}/enrol")
    app.extensions.pop("trainhub.outline")  # a worker that has not served these courses
    with count_queries() as statements:
        assert client.get("/learning/dashboard").status_code == 200
    # The page's own statements (the account, the courses with their enrolments, progress,
    # the viewer's centre roles, certificates, sessions, the intake's schedule, the
    # applications waiting for their review) plus four for all twelve outlines.
    assert len(statements) <= 8 + 4, "\n".join(s[:80] for s in statements)
    with count_queries() as statements:
        assert client.get("/learning/dashboard").status_code == 200
    assert len(statements) <= 8


def test_outlines_hold_no_answer_keys_and_no_facilitator_notes_in_the_outline(
        app, clock, write_course) -> None:
    quiz = "```quiz\nid: check\npass_mark: 50%\n1.  Grade?\n    (x) A\n    ( ) D\n```\n"
    folder = write_course({"01-intro.md": module_md("Grades", body="Text.\n\n" + quiz)})
    _import(folder, clock)
    view = course_view("aseptic-basics", None)
    assert view is not None
    (module,) = view.modules
    assert [q.slug for q in module.quizzes] == ["check"]
    assert module.requirements == ("assessment",)
    assert not hasattr(module.quizzes[0], "questions")  # rules only, never the questions
    assert outlines([]) == {}


def test_the_outline_keeps_the_paths_url_for_builds(app, clock, write_course) -> None:
    _import(_version_one(write_course), clock)
    view = course_view("aseptic-basics", None)
    assert view is not None
    course = view.course
    with app.test_request_context("/"):
        assert course.path == url_for("catalog.course", course_slug=course.slug)
        for m in course.modules:
            assert m.path == url_for("learning.module", course_slug=course.slug,
                                     module_slug=m.slug)
            assert m.complete_path == url_for("learning.complete", course_slug=course.slug,
                                              module_slug=m.slug)
    # Served under a script root, a page shows the same paths under it, as url_for would.
    with app.test_request_context("/", base_url="http://localhost/trainhub/"):
        assert site_url(course.modules[0].path) == url_for(
            "learning.module", course_slug=course.slug, module_slug=course.modules[0].slug)
        assert site_url(course.modules[0].path).startswith("/trainhub/learning/")


def test_pages_under_a_script_root_link_the_outline_under_it(app, clock, write_course,
                                                              make_user, client) -> None:
    _import(_version_one(write_course), clock)
    make_user("amina@example.org")
    login(client, "amina@example.org")
    client.post("/learning/aseptic-basics/enrol")
    root = "http://localhost/trainhub/"
    course = "/trainhub/catalog/aseptic-basics/"
    module = "/trainhub/learning/aseptic-basics/modules"
    for url, shown in (("catalog/aseptic-basics/", f"{module}/gowning"),
                       ("learning/aseptic-basics/modules/intro", f"{module}/gowning"),
                       ("learning/aseptic-basics/modules/intro", f"{module}/intro/complete"),
                       ("learning/aseptic-basics/modules/gowning", course),
                       ("learning/dashboard", course), ("learning/dashboard", f"{module}/gowning")):
        page = client.get(url, base_url=root)
        assert page.status_code == 200, url
        links = re.findall(r'(?:href|action)="(/[^"]*)"', page.get_data(as_text=True))
        assert [link for link in links if not link.startswith("/trainhub/")] == [], url
        assert shown in links, url
