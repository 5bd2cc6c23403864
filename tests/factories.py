"""Factory fixtures that write courses in the authoring format and import them for real.

Registered as a plugin by tests/conftest.py, so that every test can ask for `write_course`,
`make_course`, and the courses built with it for the blended-learning tests (`gxp_course`,
`marathon_course`, `gxp`). A test builds the course it needs, never leaning on the shipped
ones in courses/ (those belong to tests/content/test_shipped_courses.py and the browser
journeys): editing a shipped course then breaks only the tests that are about it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from app.auth.models import User
from app.content.importer import import_courses, stored_course_hashes
from app.content.loader import load_courses
from app.content.models import Course, Module
from app.extensions import db
from tests.blended import Gxp, make_gxp_course, make_marathon_course, set_up_gxp
from tests.conftest import FrozenClock
from tests.course_files import COURSE_MD, MEDIA_SVG, ModuleFile, front_matter, module_md


@pytest.fixture
def write_course(tmp_path: Path) -> Callable[..., Path]:
    """Write (or rewrite) a course folder: {file name: content}; returns its folder.

    The low-level helper for the importer and CLI tests, which feed the folder to the code
    under test themselves; other tests want `make_course`.
    """

    def write(files: Mapping[str, str | bytes], *, slug: str = "aseptic-basics",
              course_extra: str = "", root: Path | None = None) -> Path:
        folder = (root or tmp_path / "courses") / slug
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.md"):
            old.unlink()
        (folder / "course.md").write_text(COURSE_MD.format(extra=course_extra))
        for name, content in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content)
        return folder

    return write


def published_media_url(runner: FlaskCliRunner, write_course: Callable[..., Path]) -> str:
    """Import a one-module course with an svg and return the media address its lesson uses."""
    folder = write_course({"01-a.md": module_md("A", body="![x](media/x.svg)"),
                           "media/x.svg": MEDIA_SVG})
    result = runner.invoke(args=["courses", "import", str(folder)])
    assert result.exit_code == 0, result.output
    html = db.session.scalar(select(Module.body_html))
    assert html is not None
    return html.split('src="')[1].split('"')[0]


@pytest.fixture
def make_course(app: Flask, clock: FrozenClock, tmp_path: Path) -> Callable[..., Course]:
    """Build a course for this test through the real loader and importer; returns it.

        course = make_course("aseptic-basics", [
            ModuleFile("intro", objectives=["Name the cleanroom grades"]),
            ModuleFile("gowning", modality="hands-on", prerequisites=["intro"],
                       session={"attendance": "required", "capacity": 8},
                       blocks=[checklist("gowning-signoff", ["Removes watch {critical}",
                                                            "Washes hands"],
                                         pass_mark="all critical, 90%")]),
            ModuleFile("check", blocks=[quiz("check", "Grade A?\\n(x) Yes\\n( ) No",
                                               pass_mark="80%")]),
        ], enrolment="approval", hours=4)

    - `modules`: `ModuleFile`s in course order (files `01-<id>.md`, `02-...`), or plain ids
      for modules that are read and marked complete. Default: one module, `intro`.
    - Course settings are keyword arguments named as in course.md: `title` (default: the
      slug in words), `summary`, `language`, `level`, `tags`, `enrolment`, `prerequisites`
      (ids of courses imported earlier in the test), `competencies`, `certificate`,
      `hours`; `settings` takes any other key as written, `body` the landing page text and
      `media` the files under media/ ({name: bytes}). A misspelt setting fails the test.
    - Any error in the files fails the test with every problem listed: a test cannot
      silently run against a course that did not import.
    - Calling it again with the same slug rewrites the folder and imports it again, as an
      instructor's next version would be (raise a module's `version` to flag retraining).

    The course is committed, as after `flask courses import`, and read back from the
    database (in the test's app context); the folder stays under the test's tmp_path.
    """
    root = tmp_path / "made-courses"

    def factory(slug: str = "aseptic-basics", modules: Sequence[ModuleFile | str] = ("intro",),
                *, title: str | None = None, summary: str = "A course built by a test.",
                body: str | None = None, media: Mapping[str, bytes] | None = None,
                settings: Mapping[str, Any] | None = None, **course: Any) -> Course:
        unknown = set(course) - COURSE_KEYS
        assert not unknown, f"make_course: {sorted(unknown)} are not course.md keys"
        folder = root / slug
        if folder.exists():
            for old in folder.rglob("*"):
                if old.is_file():
                    old.unlink()
        (folder / "media").mkdir(parents=True, exist_ok=True)
        heading = title or slug.replace("-", " ").capitalize()
        front = {"title": heading, "summary": summary, **course, **(settings or {})}
        front = {key: list(value) if isinstance(value, (list, tuple)) else value
                 for key, value in front.items()}
        (folder / "course.md").write_text(
            front_matter(front) + (body if body is not None else f"# {heading}\n"))
        for number, module in enumerate(modules, start=1):
            spec = ModuleFile(module) if isinstance(module, str) else module
            (folder / f"{number:02d}-{spec.id}.md").write_text(spec.text())
        for name, data in (media or {}).items():
            (folder / "media" / name).write_bytes(data)
        return import_folder(folder, slug, clock)

    return factory


@pytest.fixture
def import_files(write_course: Callable[..., Path], clock: FrozenClock
                 ) -> Callable[..., Course]:
    """Write a course folder from the files' own text (as `write_course` does) and import it
    for real; returns the course. For tests whose point is the text of a module, such as a
    quiz block written out in full; other tests want `make_course`."""

    def factory(files: Mapping[str, str | bytes], *, slug: str = "aseptic-basics",
                course_extra: str = "") -> Course:
        return import_folder(write_course(files, slug=slug, course_extra=course_extra),
                             slug, clock)

    return factory


def import_folder(folder: Path, slug: str, clock: Callable[[], datetime]) -> Course:
    """Load and import one course folder as `flask courses import` would, committed, and
    read the course back; any error in the files fails the test with every problem."""
    specs, problems = load_courses([folder], stored_course_hashes())
    assert not problems, f"{folder.name}: the course does not import cleanly:\n" + "\n".join(
        str(problem) for problem in problems.sorted())
    import_courses(specs, now=clock())
    db.session.commit()
    made = db.session.scalar(select(Course).where(Course.slug == slug))
    assert made is not None
    return made


COURSE_KEYS = frozenset({"language", "level", "tags", "enrolment", "prerequisites",
                         "competencies", "certificate", "hours"})


# --- the courses of the blended-learning tests (tests/blended.py) ------------------------


@pytest.fixture
def gxp_course(make_course: Callable[..., Course]) -> Course:
    """The GxP course of tests/blended.py, imported; nobody enrolled or assigned yet."""
    return make_gxp_course(make_course)


@pytest.fixture
def marathon_course(gxp_course: Course, make_course: Callable[..., Course]) -> Course:
    """The approval course that needs the GxP course first."""
    return make_marathon_course(make_course)


@pytest.fixture
def gxp(gxp_course: Course, marathon_course: Course, people: dict[str, User],
        make_user: Callable[..., User], clock: FrozenClock) -> Gxp:
    """The GxP course with Ivan as its instructor and assessor, Amina and Kim enrolled, and
    Olga teaching the marathon (an outsider to GxP)."""
    return set_up_gxp(gxp_course, marathon_course, people, make_user, clock)
