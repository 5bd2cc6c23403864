"""Course sources without HTTP: upload, check, edit, publish, conflicts, roll back, export."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.authoring.archive import UploadRefused
from app.authoring.checking import check_files
from app.authoring.drafts import EditConflict, rename_module, save_file, upload_course
from app.authoring.folders import export_published
from app.authoring.models import SourceRevision
from app.authoring.publishing import publish, roll_back
from app.authoring.revisions import find_source, revision_files
from app.content.importer import import_folders
from app.content.loader import import_hash
from app.content.models import Course, Module
from app.content.specs import ContentError
from app.core.errors import PermissionDenied
from app.extensions import db
from app.learning.models import CourseStaff, ModuleProgress
from app.learning.services import complete_module, enrol
from app.records.models import Event
from app.records.services import verify_chain
from tests.authoring.helpers import course_files, make_zip, rich_course, small_course


def course_folder(root: Path, slug: str = "cleanroom-basics") -> Path:
    """The rich course of the helpers, written as a folder kept in git would be."""
    for name, data in rich_course().items():
        (root / slug / name).parent.mkdir(parents=True, exist_ok=True)
        (root / slug / name).write_bytes(data)
    return root / slug


def upload(people, clock, files=None, name="cleanroom-basics.zip"):
    return upload_course(people["ivan"], name, make_zip(files or small_course()), clock())


def test_an_upload_becomes_a_draft_and_publishing_imports_it(people, clock) -> None:
    revision = upload(people, clock)
    source = find_source("cleanroom-basics")
    assert source is not None and source.draft_revision_id == revision.id
    assert source.published_revision_id is None
    assert db.session.scalar(select(Course)) is None  # learners see nothing yet
    summary = publish(people["ivan"], source, clock())
    assert summary.status == "added"
    course = db.session.scalar(select(Course).where(Course.slug == "cleanroom-basics"))
    assert course is not None and course.title == "Cleanroom basics"
    # The fingerprint of the same files, under the renderer that stored them.
    assert course.content_hash == import_hash(revision.content_hash)
    staff = db.session.scalar(select(CourseStaff).where(CourseStaff.course_id == course.id))
    assert staff is not None and (staff.user_id, staff.role) == (people["ivan"].id,
                                                                 "instructor")
    actions = db.session.scalars(select(Event.action).order_by(Event.seq)).all()
    assert actions[-3:] == ["course.imported", "course.staff_assigned", "course.published"]
    db.session.commit()
    assert verify_chain().ok


def test_problems_name_the_file_and_line_and_block_publishing(people, clock) -> None:
    files = small_course()
    files["01-intro.md"] = b"---\ntitle: Introduction\nmodality: online\n---\n\nText\n"
    files["02-practice.md"] = b"---\ntitle: Practice\nprerequisites: [intr]\n---\n"
    upload(people, clock, files)
    source = find_source("cleanroom-basics")
    assert source is not None
    checked = check_files(source.slug, revision_files(source.draft_revision_id))
    assert [(p.path, p.line) for p in checked.problems] == [("01-intro.md", 3),
                                                           ("02-practice.md", 3)]
    assert 'did you mean "intro"' in checked.problems[1].message
    with pytest.raises(ContentError):
        publish(people["ivan"], source, clock())
    assert db.session.scalar(select(Course)) is None


def test_who_may_upload_and_edit(people, clock, make_user) -> None:
    from app.core.roles import Role

    with pytest.raises(PermissionDenied):
        upload_course(people["amina"], "x.zip", make_zip(small_course()), clock())
    upload(people, clock)
    source = find_source("cleanroom-basics")
    assert source is not None
    other = make_user("other@example.org", roles=(Role.INSTRUCTOR,))
    with pytest.raises(PermissionDenied):
        upload_course(other, "cleanroom-basics.zip", make_zip(small_course()), clock())
    assert source.draft_revision_id is not None
    with pytest.raises(PermissionDenied):
        save_file(other, source, "course.md", "x", base_revision_id=source.draft_revision_id,
                  now=clock())
    with pytest.raises(UploadRefused):
        upload_course(people["ivan"], "x.zip", make_zip({"01-a.md": b"x"}), clock())


def test_two_editors_of_one_file_never_overwrite_each_other(people, clock, make_user) -> None:
    upload(people, clock)
    source = find_source("cleanroom-basics")
    assert source is not None
    opened = source.draft_revision_id
    assert opened is not None
    original = revision_files(opened)["01-intro.md"].decode()
    save_file(people["ivan"], source, "01-intro.md", original + "\nFirst editor.\n",
              base_revision_id=opened, now=clock())
    with pytest.raises(EditConflict) as conflict:
        save_file(people["grace"], source, "01-intro.md", original + "\nSecond editor.\n",
                  base_revision_id=opened, now=clock())
    assert "+Second editor." in conflict.value.diff and "-First editor." in conflict.value.diff
    assert "First editor." in revision_files(source.draft_revision_id)["01-intro.md"].decode()
    # Another file of the same draft saves fine from the same starting point.
    save_file(people["grace"], source, "02-practice.md", "---\ntitle: Practice\n---\nNew\n",
              base_revision_id=opened, now=clock())
    files = revision_files(source.draft_revision_id)
    assert b"First editor." in files["01-intro.md"] and files["02-practice.md"].endswith(b"New\n")


def test_cli_import_makes_a_revision_and_export_gives_the_same_bytes(people, clock,
                                                                      tmp_path: Path) -> None:
    folder = course_folder(tmp_path / "git")
    import_folders([folder], now=clock())
    source = find_source("cleanroom-basics")
    assert source is not None and source.published_revision_id == source.draft_revision_id
    revision = db.session.get(SourceRevision, source.published_revision_id)
    assert revision is not None and revision.kind == "import"
    target = tmp_path / "cleanroom-basics"
    export_published(source, target)
    assert course_files(target) == course_files(folder)
    summaries = import_folders([target], now=clock())
    assert [s.status for s in summaries] == ["unchanged"]
    count = db.session.scalar(select(db.func.count()).select_from(SourceRevision))
    assert count == 1  # the same files make no new revision


def test_raising_a_version_flags_retraining_and_roll_back_keeps_it(people, clock) -> None:
    upload(people, clock)
    source = find_source("cleanroom-basics")
    assert source is not None
    publish(people["ivan"], source, clock())
    first = db.session.get(SourceRevision, source.published_revision_id)
    course = db.session.scalar(select(Course).where(Course.slug == "cleanroom-basics"))
    assert course is not None and first is not None
    amina = people["amina"]
    enrol(amina, course, clock())
    intro = db.session.scalar(select(Module).where(Module.slug == "intro"))
    assert intro is not None
    complete_module(amina, intro, clock())
    assert source.draft_revision_id is not None
    save_file(people["ivan"], source, "01-intro.md",
              "---\ntitle: Introduction\nversion: 2\n---\n\nNew rules for gowning.\n",
              base_revision_id=source.draft_revision_id, now=clock.advance(hours=1))
    publish(people["ivan"], source, clock())
    flagged = db.session.scalars(select(Event).where(
        Event.action == "module.retraining_due")).all()
    assert [e.learner_id for e in flagged] == [amina.id]
    new, kept = roll_back(people["ivan"], source, first, clock.advance(hours=1))
    assert [str(k) for k in kept] == ["01-intro.md keeps version 2"]
    assert source.published_revision_id == source.draft_revision_id == new.id
    db.session.refresh(intro)
    assert intro.version == 2 and "Gowning matters." in intro.body_html
    progress = db.session.scalar(select(ModuleProgress).where(
        ModuleProgress.module_id == intro.id))
    assert progress is not None and progress.completed_version == 1  # still due
    assert db.session.scalars(select(Event.action).where(
        Event.action == "course.rolled_back")).all() == ["course.rolled_back"]


def test_renaming_a_module_keeps_its_learners(people, clock) -> None:
    upload(people, clock)
    source = find_source("cleanroom-basics")
    assert source is not None
    publish(people["ivan"], source, clock())
    intro = db.session.scalar(select(Module).where(Module.slug == "intro"))
    assert intro is not None
    rename_module(people["ivan"], source, "01-intro.md", "01-welcome.md", keep_id=True,
                  now=clock())
    files = revision_files(source.draft_revision_id)
    assert b"aliases: [intro]" in files["01-welcome.md"]
    files["02-practice.md"] = files["02-practice.md"].replace(b"[intro]", b"[welcome]")
    assert source.draft_revision_id is not None
    save_file(people["ivan"], source, "02-practice.md", files["02-practice.md"].decode(),
              base_revision_id=source.draft_revision_id, now=clock())
    publish(people["ivan"], source, clock())
    db.session.refresh(intro)
    assert intro.slug == "welcome" and intro.archived_at is None  # the same row, renamed


def test_the_export_command(runner, people, clock, tmp_path: Path) -> None:
    folder = course_folder(tmp_path / "git")
    import_folders([folder], now=clock())
    db.session.commit()
    target = tmp_path / "out" / "cleanroom-basics"
    result = runner.invoke(args=["courses", "export", "cleanroom-basics", str(target)])
    assert result.exit_code == 0, result.output
    assert "files written" in result.output
    assert (target / "course.md").read_bytes() == (folder / "course.md").read_bytes()
    missing = runner.invoke(args=["courses", "export", "nothing-here", str(tmp_path)])
    assert missing.exit_code == 1 and "no course 'nothing-here'" in missing.output


def test_the_catalog_search_follows_publishing_and_roll_back(people, clock) -> None:
    from app.catalog.queries import search_courses

    upload(people, clock)
    source = find_source("cleanroom-basics")
    assert source is not None
    publish(people["ivan"], source, clock())
    first = db.session.get(SourceRevision, source.published_revision_id)
    assert first is not None and search_courses("gowning")
    assert source.draft_revision_id is not None
    save_file(people["ivan"], source, "01-intro.md",
              "---\ntitle: Introduction\n---\n\nEndotoxin limits for rinse water.\n",
              base_revision_id=source.draft_revision_id, now=clock.advance(hours=1))
    assert not search_courses("endotoxin")  # a draft is not what learners see
    publish(people["ivan"], source, clock())
    assert search_courses("endotoxin") and not search_courses('"gowning matters"')
    roll_back(people["ivan"], source, first, clock.advance(hours=1))
    assert not search_courses("endotoxin") and search_courses('"gowning matters"')
