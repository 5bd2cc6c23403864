"""A draft checked by the content pipeline unchanged: its files are laid out in a temporary
course folder and read by the loader with every rule, as `flask courses import` would."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select

from app.authoring.models import CourseSource
from app.authoring.revisions import revision_files, text_bytes
from app.authoring.tree import path_problem
from app.content.importer import check_against_stored
from app.content.loader import COURSE_FILE, load_courses
from app.content.models import Course
from app.content.specs import CourseSpec, ModuleSpec, Problem
from app.extensions import db


@dataclass(frozen=True)
class Checked:
    course: CourseSpec | None
    problems: list[Problem]  # errors, which stop publishing; paths relative to the course folder
    warnings: list[Problem] = field(default_factory=list)  # the same, but publishing goes on

    def module(self, path: str) -> ModuleSpec | None:
        if self.course is None:
            return None
        return next((m for m in self.course.modules if m.filename == path), None)

    def body_html(self, path: str) -> str:
        """The rendered text of one file: a module, course.md, or a language version of
        either ("" when the draft could not be read that far)."""
        if self.course is None:
            return ""
        if path == COURSE_FILE:
            return self.course.landing_html
        for version in self.course.versions.values():
            if version.filename == path:
                return version.landing_html
        for module in self.course.modules:
            if module.filename == path:
                return module.body_html
            for translated in module.versions.values():
                if translated.filename == path:
                    return translated.body_html
        return ""


@contextmanager
def _laid_out(slug: str, files: Mapping[str, bytes]) -> Iterator[Path]:
    """The files in a temporary course folder, for the loader."""
    with tempfile.TemporaryDirectory(prefix="trainhub-draft-") as tmp:
        folder = Path(tmp) / slug
        for path, data in files.items():
            if path_problem(path) is not None:
                continue  # never written: such paths are refused on the way in
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        yield folder


def check_files(slug: str, files: Mapping[str, bytes]) -> Checked:
    """Every problem the content pipeline finds in these files, as it would on import."""
    known = set(db.session.scalars(select(Course.slug)))
    with _laid_out(slug, files) as folder:
        courses, problems = load_courses([folder], known)
        found = problems.errors()
        if courses and not found:
            found = check_against_stored(courses)
        prefix = str(folder) + "/"

        def relative(listed: list[Problem]) -> list[Problem]:
            return sorted({replace(p, path=p.path.removeprefix(prefix).removeprefix(str(folder))
                                   or COURSE_FILE) for p in listed})
        return Checked(courses[0] if courses else None, relative(found),
                       relative(problems.warnings()))


MAX_PREVIEW_CHARS = 1_000_000


def preview(source: CourseSource, path: str, text: str | None = None) -> Checked:
    """The draft checked as a whole, with `text` in place of `path` when given (unsaved)."""
    files = revision_files(source.draft_revision_id)
    if text is not None:
        files[path] = text_bytes(text[:MAX_PREVIEW_CHARS])
    return check_files(source.slug, files)
