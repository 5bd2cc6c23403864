"""`flask courses validate|import`, and the shipped courses."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from app.content.models import Course, CourseMedia, Module, Question, Quiz
from app.extensions import db
from tests.content.conftest import MEDIA_SVG, module_md, published_media_url

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "courses"
BROKEN = Path(__file__).parent / "broken"


def count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_shipped_courses_validate(runner) -> None:
    result = runner.invoke(args=["courses", "validate", str(SHIPPED)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(list(SHIPPED.glob("*/course.md")))
    assert all(line.startswith("ok  ") for line in lines)
    assert ": error: " not in result.stderr
    assert ": warning: " not in result.stderr, result.stderr  # issue 16: no warning either


def test_shipped_courses_use_every_construct(runner) -> None:
    from app.content.loader import load_courses

    courses, problems = load_courses([SHIPPED])
    assert not problems
    assert {c.slug for c in courses} == {"gmp-vaccine-marathon", "vaccinology-essentials",
                                         "gxp-standard-practice", "biologics-manufacturing",
                                         "mrna-vaccine-manufacturing",
                                         "qc-laboratory-biologics"}
    questions = [q for c in courses for m in c.modules for z in m.quizzes for q in z.questions]
    assert {q.kind for q in questions} == {"single", "true_false", "multiple", "numeric",
                                           "short_text", "essay"}
    assert any(q.scoring == "partial" for q in questions)
    assert any(a.pattern for q in questions for a in q.text_answers)
    assert any(q.wrong_answers for q in questions)
    quizzes = [z for c in courses for m in c.modules for z in m.quizzes]
    assert {z.shuffle for z in quizzes} == {"none", "questions", "choices", "all"}
    # No shipped quiz hides its answers for good: every question's feedback reaches learners.
    assert {z.show_answers for z in quizzes} == {"after_submit", "after_pass",
                                                  "after_last_attempt"}
    assert any(z.pick for z in quizzes) and any(z.time_limit_minutes for z in quizzes)
    for course in courses:
        assert len(course.modules) >= 5
        assert any(z.is_assessment for m in course.modules for z in m.quizzes)
        assert all(m.objectives and m.duration_minutes for m in course.modules)
    modalities = {m.modality for c in courses for m in c.modules}
    assert modalities == {"virtual", "classroom", "hands-on"}
    assert any(m.checklists for c in courses for m in c.modules)


def test_import_then_reimport_reports_unchanged(runner) -> None:
    first = runner.invoke(args=["courses", "import", str(SHIPPED)])
    assert first.exit_code == 0, first.output
    assert "gmp-vaccine-marathon: added; modules 6 added" in first.output
    from app.content.loader import load_courses

    courses, _ = load_courses([SHIPPED])
    modules = [m for c in courses for m in c.modules]
    assert count(Course) == len(courses) == len(list(SHIPPED.glob("*/course.md")))
    assert count(Module) == len(modules)
    assert count(Quiz) == sum(len(m.quizzes) for m in modules)
    assert count(Question) == sum(len(z.questions) for m in modules for z in m.quizzes)
    assert count(CourseMedia) == len(list(SHIPPED.glob("*/media/*")))
    second = runner.invoke(args=["courses", "import", str(SHIPPED)])
    assert second.exit_code == 0
    assert sorted(second.output.splitlines()) == sorted(
        f"{course.slug}: unchanged" for course in courses)


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
