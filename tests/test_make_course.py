"""make_course builds what a test asks for, through the real loader and importer, and fails
the test when the course it was asked for does not import."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from app.content.models import Checklist, Course, Quiz
from app.extensions import db
from tests.course_files import ModuleFile, checklist, quiz

MakeCourse = Callable[..., Course]


def test_modules_blocks_sessions_prerequisites_and_settings(make_course: MakeCourse) -> None:
    make_course("gmp-basics", ["intro"])
    course = make_course("aseptic-basics", [
        ModuleFile("intro", "Cleanroom grades", duration="45 min",
                   objectives=["Name the cleanroom grades"], competencies=["GMP-CC"]),
        ModuleFile("gowning", modality="hands-on", prerequisites=["intro"],
                   session={"attendance": "required", "capacity": 8},
                   blocks=[checklist("gowning-signoff", ["### Before entering",
                                                         "Removes watch {critical}",
                                                         "Washes hands"],
                                     pass_mark="all critical, 90%", attempts=2)]),
        ModuleFile("check", optional=True, blocks=[quiz(
            "check", "Which grade is the critical zone?\n(x) Grade A\n    > Right.\n( ) Grade D",
            "Particle limit?\n= 3520", pass_mark="80%", attempts=3)]),
    ], title="Aseptic processing basics", enrolment="approval", hours=4, level="advanced",
        tags=["GMP", "aseptic"], prerequisites=["gmp-basics"], settings={"language": "fr"})
    assert (course.title, course.enrolment, course.hours, course.level, course.language) == (
        "Aseptic processing basics", "approval", 4, "advanced", "fr")
    assert course.tags == ["GMP", "aseptic"] and course.prerequisites == ["gmp-basics"]
    intro, gowning, check = sorted(course.modules, key=lambda m: m.position)
    assert (intro.slug, intro.title, intro.duration_minutes) == ("intro", "Cleanroom grades", 45)
    assert intro.objectives == ["Name the cleanroom grades"] and intro.competencies == ["GMP-CC"]
    assert (gowning.modality, gowning.prerequisites) == ("hands-on", ["intro"])
    assert gowning.session == {"attendance": "required", "capacity": 8, "materials": []}
    assert check.title == "Check" and check.optional  # the title defaults to the id in words
    signoff = db.session.scalars(select(Checklist).where(Checklist.module_id == gowning.id)).one()
    assert signoff.slug == "gowning-signoff"
    assessment = db.session.scalars(select(Quiz).where(Quiz.module_id == check.id)).one()
    assert (assessment.slug, assessment.pass_mark, assessment.attempts) == ("check", 80, 3)


def test_making_it_again_imports_the_next_version(make_course: MakeCourse) -> None:
    first = make_course(modules=[ModuleFile("intro")])
    again = make_course(modules=[ModuleFile("intro", version=2), "practice"])
    assert again.id == first.id
    assert {(m.slug, m.version) for m in again.modules} == {("intro", 2), ("practice", 1)}


def test_a_course_that_does_not_import_fails_the_test(make_course: MakeCourse) -> None:
    with pytest.raises(AssertionError, match='prerequisite "nowhere"'):
        make_course(modules=[ModuleFile("intro", prerequisites=["nowhere"])])
    with pytest.raises(AssertionError, match=r"\['enrollment'\] are not course.md keys"):
        make_course(enrollment="approval")
    assert db.session.scalar(select(Course)) is None
