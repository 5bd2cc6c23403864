"""The courses that ship in courses/: they validate and import cleanly, use every construct
of the format, keep their right answers mixed, stay light for slow links, and export back
byte for byte.

This module and the browser journeys (tests/e2e) are the only tests that may read courses/
(SHIPPED_COURSE_READERS in tests/conftest.py): every other test builds its own course with
`make_course`, so that rewriting a shipped course breaks only the tests about it.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.authoring.folders import export_published
from app.authoring.revisions import find_source
from app.content.importer import import_courses, import_folders
from app.content.loader import load_courses
from app.content.models import Course, CourseMedia, Module, Question, Quiz
from app.content.rules import CHOICE_KINDS
from app.content.specs import CourseSpec
from app.extensions import db
from tests.conftest import SHIPPED_COURSES, FrozenClock, login

SHIPPED = SHIPPED_COURSES
STATIC = Path(__file__).resolve().parents[2] / "app" / "static"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def shipped(app, clock: FrozenClock) -> dict[str, CourseSpec]:
    """The shipped courses imported, by id."""
    courses, problems = load_courses([SHIPPED])
    assert not problems
    import_courses(courses, now=clock())
    db.session.commit()
    return {c.slug: c for c in courses}


def test_shipped_courses_validate(runner) -> None:
    result = runner.invoke(args=["courses", "validate", str(SHIPPED)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(list(SHIPPED.glob("*/course.md")))
    assert all(line.startswith("ok  ") for line in lines)
    assert ": error: " not in result.stderr
    assert ": warning: " not in result.stderr, result.stderr  # issue 16: no warning either


def test_shipped_courses_use_every_construct(runner) -> None:
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


def test_shipped_courses_import_and_reimport_unchanged(runner) -> None:
    specs, problems = load_courses([SHIPPED])
    assert not problems
    first = runner.invoke(args=["courses", "import", str(SHIPPED)])
    assert first.exit_code == 0, first.output
    for spec in specs:
        assert (f"{spec.slug}: added; modules {len(spec.modules)} added, 0 changed, "
                "0 archived, 0 unchanged") in first.output
    quizzes = [quiz for spec in specs for module in spec.modules for quiz in module.quizzes]
    assert count(Course) == len(specs) == len(list(SHIPPED.glob("*/course.md")))
    assert count(Module) == sum(len(spec.modules) for spec in specs)
    assert count(Quiz) == len(quizzes)
    assert count(Question) == sum(len(quiz.questions) for quiz in quizzes)
    assert count(CourseMedia) == sum(len(spec.media) for spec in specs) == len(
        list(SHIPPED.glob("*/media/*")))
    second = runner.invoke(args=["courses", "import", str(SHIPPED)])
    assert second.exit_code == 0
    assert sorted(second.output.splitlines()) == sorted(
        f"{spec.slug}: unchanged" for spec in specs)


def test_shipped_courses_mix_right_answers_and_shuffle_every_assessment() -> None:
    courses, problems = load_courses([SHIPPED])
    crowded = [str(p) for p in problems.sorted() if "the right answer is choice" in p.message]
    assert not problems and crowded == []
    quizzes = [quiz for course in courses for module in course.modules for quiz in module.quizzes]
    assessments = [quiz for quiz in quizzes if quiz.is_assessment]
    assert len(assessments) >= 5
    unshuffled = [quiz.slug for quiz in assessments if quiz.shuffle not in ("choices", "all")]
    assert unshuffled == []

    def share_of_busiest(chosen: list) -> float:
        tally = Counter(index for question in chosen
                        for index, choice in enumerate(question.choices) if choice.correct)
        return max(tally.values()) / sum(tally.values())

    graded = [q for quiz in assessments for q in quiz.questions if q.kind in CHOICE_KINDS]
    assert len(graded) >= 15
    assert share_of_busiest(graded) <= 0.4
    single = [q for quiz in quizzes for q in quiz.questions
              if q.kind == "single" and len(q.choices) >= 3]
    assert len(single) >= 30
    assert share_of_busiest(single) <= 0.4
    multiple = [q for quiz in quizzes for q in quiz.questions if q.kind == "multiple"]
    assert not all(q.choices[0].correct for q in multiple)


def test_lesson_pages_weigh_under_60_kb(client, shipped, people, record_property) -> None:
    login(client, "amina@example.org")
    css = (STATIC / "style.css").stat().st_size
    heaviest = 0
    for course in shipped.values():
        client.post(f"/learning/{course.slug}/enrol")
    for course in shipped.values():
        for module in course.modules:
            response = client.get(f"/learning/{course.slug}/modules/{module.slug}")
            if response.status_code == 200:
                heaviest = max(heaviest, len(response.data))
    record_property("heaviest_lesson_bytes_with_css", heaviest + css)
    print(f"heaviest lesson page: {heaviest} B HTML + {css} B CSS, no JS")
    assert heaviest + css < 60 * 1024


def test_shipped_courses_export_back_byte_for_byte(app, clock, tmp_path: Path) -> None:
    folders = sorted(path for path in SHIPPED.iterdir() if path.is_dir())
    assert [s.status for s in import_folders(folders, now=clock())] == ["added"] * len(folders)
    for folder in folders:
        source = find_source(folder.name)
        assert source is not None
        export_published(source, tmp_path / folder.name)
        assert files_of(tmp_path / folder.name) == files_of(folder), folder.name
