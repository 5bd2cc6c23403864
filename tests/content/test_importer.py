"""The importer, without HTTP: add, update in place, archive, versions, aliases, atomicity."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.content.importer import import_courses
from app.content.loader import fingerprint, load_courses, sha256
from app.content.models import Course, Module, ModuleVersion, Question, Quiz
from app.content.specs import ContentError
from app.extensions import db
from tests.course_files import QUIZ, module_md


def do_import(folder: Path, clock):
    courses, problems = load_courses([folder])
    assert not problems, [str(p) for p in problems.sorted()]
    summaries = import_courses(courses, now=clock())
    db.session.commit()
    return summaries[0]


def modules(archived: bool = False) -> dict[str, Module]:
    rows = db.session.scalars(select(Module)).all()
    return {m.slug: m for m in rows if (m.archived_at is not None) == archived}


def test_first_import_adds_everything(app, clock, write_course) -> None:
    folder = write_course({
        "01-gowning.md": module_md("Gowning", body="# Gowning\n" + QUIZ.format(quiz_id="g")),
        "02-cleanrooms.md": module_md("Cleanrooms", extra="prerequisites: [gowning]\n"),
    })
    summary = do_import(folder, clock)
    assert (summary.status, summary.added) == ("added", ["gowning", "cleanrooms"])
    course = db.session.scalar(select(Course))
    assert course is not None and course.slug == "aseptic-basics"
    assert [m.slug for m in course.modules] == ["gowning", "cleanrooms"]
    assert course.modules[1].prerequisites == ["gowning"]
    quiz = db.session.scalar(select(Quiz))
    assert quiz is not None and quiz.slug == "g" and quiz.is_assessment
    assert [q.kind for q in quiz.questions] == ["single", "numeric"]
    assert quiz.questions[0].answer_data["choices"][0]["correct"] is True
    assert '<div class="quiz-slot" data-quiz="g"></div>' in course.modules[0].body_html
    assert db.session.scalar(select(func.count()).select_from(ModuleVersion)) == 2


def test_unchanged_reimport_changes_nothing(app, clock, write_course) -> None:
    folder = write_course({"01-gowning.md": module_md("Gowning")})
    do_import(folder, clock)
    before = db.session.scalar(select(Module.updated_at))
    clock.advance(hours=1)
    summary = do_import(folder, clock)
    assert summary.status == "unchanged" and summary.line() == "aseptic-basics: unchanged"
    assert db.session.scalar(select(Module.updated_at)) == before


def test_changed_module_is_updated_in_place_and_version_recorded(app, clock, write_course) -> None:
    folder = write_course({"01-gowning.md": module_md("Gowning"),
                           "02-air.md": module_md("Air")})
    do_import(folder, clock)
    old_id = modules()["gowning"].id
    write_course({"01-gowning.md": module_md("Gowning, revised", version=2),
                  "02-air.md": module_md("Air")})
    summary = do_import(folder, clock)
    assert (summary.changed, summary.unchanged) == (["gowning"], ["air"])
    assert summary.versions_raised == ["gowning 1->2"]
    gowning = modules()["gowning"]
    assert (gowning.id, gowning.title, gowning.version) == (old_id, "Gowning, revised", 2)
    versions = db.session.scalars(select(ModuleVersion.version)
                                  .where(ModuleVersion.module_id == old_id)).all()
    assert sorted(versions) == [1, 2]
    assert "version raised: gowning 1->2" in summary.line()
    assert summary.text() == summary.line()  # in English, what people read is what is audited


def test_removed_module_is_archived_not_deleted(app, clock, write_course) -> None:
    folder = write_course({"01-gowning.md": module_md("Gowning", body=QUIZ.format(quiz_id="g")),
                           "02-air.md": module_md("Air")})
    do_import(folder, clock)
    write_course({"02-air.md": module_md("Air")})
    summary = do_import(folder, clock)
    assert summary.archived == ["gowning"]
    archived = modules(archived=True)["gowning"]
    assert archived.archived_at == clock()
    assert db.session.scalar(select(Quiz.archived_at)) == clock()
    # Coming back restores the same row.
    write_course({"01-gowning.md": module_md("Gowning", body=QUIZ.format(quiz_id="g")),
                  "02-air.md": module_md("Air")})
    do_import(folder, clock)
    assert modules()["gowning"].id == archived.id
    assert db.session.scalar(select(Quiz.archived_at)) is None


def test_renumbering_keeps_the_module(app, clock, write_course) -> None:
    folder = write_course({"01-gowning.md": module_md("Gowning"), "02-air.md": module_md("Air")})
    do_import(folder, clock)
    ids = {slug: m.id for slug, m in modules().items()}
    write_course({"10-gowning.md": module_md("Gowning"), "05-air.md": module_md("Air")})
    do_import(folder, clock)
    now = modules()
    assert {slug: m.id for slug, m in now.items()} == ids
    assert (now["air"].position, now["gowning"].position) == (5, 10)
    assert not modules(archived=True)


def test_aliases_carry_a_module_over_a_rename(app, clock, write_course) -> None:
    folder = write_course({"01-gowning.md": module_md("Gowning")})
    do_import(folder, clock)
    old_id = modules()["gowning"].id
    write_course({"01-gowning-and-garbing.md": module_md("Gowning", extra="aliases: [gowning]\n")})
    summary = do_import(folder, clock)
    assert summary.changed == ["gowning-and-garbing"] and summary.archived == []
    assert modules()["gowning-and-garbing"].id == old_id


def test_questions_are_replaced_but_the_quiz_row_stays(app, clock, write_course) -> None:
    folder = write_course({"01-gowning.md": module_md("Gowning", body=QUIZ.format(quiz_id="g"))})
    do_import(folder, clock)
    quiz_id = db.session.scalar(select(Quiz.id))
    changed = QUIZ.format(quiz_id="g").replace("= 3520", "= 3520\n    unit: particles/m³")
    write_course({"01-gowning.md": module_md("Gowning", body=changed)})
    do_import(folder, clock)
    assert db.session.scalar(select(Quiz.id)) == quiz_id
    units = db.session.scalars(select(Question.answer_data)).all()
    assert any(data["unit"] == "particles/m³" for data in units)
    assert db.session.scalar(select(func.count()).select_from(Question)) == 2


def test_a_lower_version_is_refused_and_nothing_changes(app, clock, write_course) -> None:
    folder = write_course({"01-gowning.md": module_md("Gowning", version=3)})
    do_import(folder, clock)
    write_course({"01-gowning.md": module_md("Gowning renamed", version=2)})
    courses, _ = load_courses([folder])
    with pytest.raises(ContentError) as caught:
        import_courses(courses, now=clock())
    db.session.rollback()
    assert caught.value.problems[0].line == 3
    assert "lower than the imported version 3" in caught.value.problems[0].message
    assert modules()["gowning"].title == "Gowning"


def test_media_is_stored_and_linked_by_hash(app, clock, write_course) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    folder = write_course({"01-gowning.md": module_md("Gowning", body="![Gown](media/gown.svg)"),
                           "media/gown.svg": svg})
    do_import(folder, clock)
    html = modules()["gowning"].body_html
    assert '<img src="/content/media/aseptic-basics/' in html and '/gown.svg" alt="Gown">' in html


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'


def test_a_course_stored_by_an_earlier_renderer_is_rendered_again(runner, app,
                                                                  write_course) -> None:
    """`flask courses import` (and so `make run`) on a database whose lessons link media at
    /media/: the unchanged files are rendered again, once."""
    folder = write_course({"01-gowning.md": module_md("Gowning", body="![Gown](media/gown.svg)"),
                           "media/gown.svg": SVG})
    assert runner.invoke(args=["courses", "import", str(folder)]).exit_code == 0
    # What renderer 1 stored: hashes of the files alone, and media at /media/.
    course = db.session.scalar(select(Course))
    module = modules()["gowning"]
    assert course is not None
    course.content_hash = fingerprint(folder)
    module.content_hash = sha256((folder / "01-gowning.md").read_bytes())
    module.body_html = module.body_html.replace("/content/media/", "/media/")
    db.session.commit()
    first = runner.invoke(args=["courses", "import", str(folder)])
    assert first.exit_code == 0, first.output
    assert "aseptic-basics: updated; modules 0 added, 1 changed" in first.output
    db.session.expire_all()
    assert '<img src="/content/media/aseptic-basics/' in modules()["gowning"].body_html
    again = runner.invoke(args=["courses", "import", str(folder)])
    assert "aseptic-basics: unchanged" in again.output


def test_a_changed_image_gets_its_new_address_in_unchanged_lessons(app, clock,
                                                                   write_course) -> None:
    lesson = module_md("Gowning", body="![Gown](media/gown.svg)")
    folder = write_course({"01-gowning.md": lesson, "media/gown.svg": SVG})
    do_import(folder, clock)
    before = modules()["gowning"].body_html
    write_course({"01-gowning.md": lesson, "media/gown.svg": SVG.replace(b'"1"', b'"2"')})
    summary = do_import(folder, clock)
    assert summary.changed == ["gowning"]
    after = modules()["gowning"].body_html
    digest = sha256(SVG.replace(b'"1"', b'"2"'))[:16]
    assert after != before and f"/content/media/aseptic-basics/{digest}/gown.svg" in after
