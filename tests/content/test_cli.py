"""`flask courses validate|import`; on the shipped courses, in test_shipped_courses.py."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from app.content.models import Course, CourseMedia, Module, Question, Quiz
from app.extensions import db
from tests.course_files import MEDIA_SVG, QUIZ, module_md
from tests.factories import published_media_url

BROKEN = Path(__file__).parent / "broken"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_import_then_reimport_reports_unchanged(runner, write_course, tmp_path) -> None:
    write_course({"01-a.md": module_md("A", body=QUIZ.format(quiz_id="a-check")),
                  "02-b.md": module_md("B", body="![x](media/x.svg)"), "media/x.svg": MEDIA_SVG},
                 slug="aseptic-basics")
    write_course({"01-c.md": module_md("C")}, slug="cleanroom-basics")
    courses = str(tmp_path / "courses")
    first = runner.invoke(args=["courses", "import", courses])
    assert first.exit_code == 0, first.output
    assert "aseptic-basics: added; modules 2 added" in first.output
    assert count(Course) == 2 and count(Module) == 3 and count(Quiz) == 1
    assert count(Question) == 2 and count(CourseMedia) == 1
    second = runner.invoke(args=["courses", "import", courses])
    assert second.exit_code == 0
    assert sorted(second.output.splitlines()) == [
        "aseptic-basics: unchanged", "cleanroom-basics: unchanged"]


def test_broken_course_exits_1_lists_every_error_and_writes_nothing(runner) -> None:
    result = runner.invoke(args=["courses", "import", str(BROKEN)])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(errors) == 36
    assert errors[0].startswith(f"{BROKEN}/broken-course/01-front.md:3: error: ")
    assert "36 errors in 8 files; nothing was imported." in result.output
    assert count(Course) == 0 and count(Module) == 0


def test_validate_broken_course_exits_1(runner) -> None:
    result = runner.invoke(args=["courses", "validate", str(BROKEN)])
    assert result.exit_code == 1 and "07-quiz.md:12: error: question 1" in result.output


def test_one_bad_course_keeps_the_good_one_out_too(runner, write_course, tmp_path) -> None:
    write_course({"01-a.md": module_md("A")}, slug="good-course")
    write_course({"01-b.md": "---\nmodality: virtual\n---\n"}, slug="bad-course")
    result = runner.invoke(args=["courses", "import", str(tmp_path / "courses")])
    assert result.exit_code == 1 and 'needs "title"' in result.output
    assert count(Course) == 0


def test_prerequisite_may_name_an_imported_course(runner, write_course, tmp_path) -> None:
    first = write_course({"01-a.md": module_md("A")}, slug="basics")
    assert runner.invoke(args=["courses", "import", str(first)]).exit_code == 0
    second = write_course({"01-b.md": module_md("B")}, slug="advanced",
                          course_extra="prerequisites: [basics]\n")
    result = runner.invoke(args=["courses", "import", str(second)])
    assert result.exit_code == 0, result.output
    assert "advanced: added" in result.output


def test_missing_folder(runner, tmp_path) -> None:
    result = runner.invoke(args=["courses", "validate", str(tmp_path / "nope")])
    assert result.exit_code == 1 and "no such course folder" in result.output


def test_media_is_served_with_long_cache_headers(runner, client, write_course) -> None:
    url = published_media_url(runner, write_course)
    response = client.get(url)
    assert response.status_code == 200 and response.data == MEDIA_SVG
    assert response.mimetype == "image/svg+xml"
    assert "immutable" in response.headers["Cache-Control"]
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert client.get(url.replace("/x.svg", "/y.svg")).status_code == 404
    prefix, _course, digest, name = url.rsplit("/", 3)
    assert prefix == "/content/media" and len(digest) == 16 and name == "x.svg"
    assert client.get(url.replace(digest, "0" * 16)).status_code == 404


def test_media_links_stored_before_the_move_still_resolve(runner, client,
                                                          write_course) -> None:
    """Lessons published in the browser before media moved to /content/media/ keep their
    links until the next import renders them again."""
    url = published_media_url(runner, write_course)
    old = url.removeprefix("/content")
    moved = client.get(old)
    assert moved.status_code == 301 and moved.headers["Location"] == url
    assert client.get(old, follow_redirects=True).data == MEDIA_SVG


def test_validate_also_checks_against_what_was_imported(runner, write_course) -> None:
    folder = write_course({"01-a.md": module_md("A", version=2)})
    assert runner.invoke(args=["courses", "import", str(folder)]).exit_code == 0
    write_course({"01-a.md": module_md("A", version=1)})
    result = runner.invoke(args=["courses", "validate", str(folder)])
    assert result.exit_code == 1
    assert "01-a.md:3: error: version 1 is lower than the imported version 2" in result.output


def test_media_must_be_real_files_of_known_types(runner, write_course, tmp_path) -> None:
    folder = write_course({"01-a.md": module_md("A"), "media/notes.docx": b"PK"})
    (tmp_path / "outside.png").write_bytes(b"x")
    (folder / "media" / "link.png").symlink_to(tmp_path / "outside.png")
    result = runner.invoke(args=["courses", "validate", str(folder)])
    assert result.exit_code == 1
    assert "media/link.png:1: error: media files must be real files, not links" in result.output
    assert "media/notes.docx:1: error: media files must be svg, png, jpg, webp, gif or pdf" \
        in result.output


def test_credit_hours_must_be_positive(runner, write_course) -> None:
    folder = write_course({"01-a.md": module_md("A")}, course_extra="hours: 0\n")
    result = runner.invoke(args=["courses", "validate", str(folder)])
    assert result.exit_code == 1 and "hours: credit hours must be more than zero" in result.output
