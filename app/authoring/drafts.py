"""Drafts of course sources: a new course, an uploaded .zip, and edits to the draft's files.
Each change stores a new revision and moves the draft to it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.authoring.archive import Archive, UploadRefused, read_course_archive
from app.authoring.models import CourseSource, SourceRevision
from app.authoring.revisions import (
    find_source,
    new_source,
    revision_files,
    store_revision,
    text_bytes,
)
from app.authoring.tree import (
    N_,
    Refusal,
    module_id,
    new_course_files,
    path_problem,
    size_problem,
    text_diff,
    version_path,
    version_text,
    with_alias,
)
from app.content.loader import COURSE_FILE, COURSE_ID
from app.content.models import Course
from app.content.versions import normalize_tag
from app.core.auth import authorize
from app.core.errors import DomainError, ValidationError
from app.core.roles import Role
from app.extensions import db
from app.learning.services import staff_roles


def _check_slug(slug: str) -> None:
    if not COURSE_ID.match(slug):
        raise ValidationError(_('"%(id)s" cannot be a course id: use lowercase letters, digits '
                                'and "-"', id=slug), field="slug")


def _source_for_new_files(actor: User, slug: str, now: datetime) -> CourseSource:
    """The source a new draft goes into: the existing one, which the actor must be allowed to
    edit, or a new one; a course imported before sources existed gets one too."""
    _check_slug(slug)
    source = find_source(slug)
    if source is not None:
        authorize(actor, "authoring.edit", source)
        return source
    authorize(actor, "authoring.create", None)
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    if course is not None and not (actor.has_role(Role.ADMIN)
                                   or "instructor" in staff_roles(actor, course.id)):
        raise DomainError(_('A course "%(id)s" exists and you do not teach it.', id=slug))
    return new_source(actor, slug, now)


def upload_course(actor: User, filename: str, data: bytes, now: datetime) -> SourceRevision:
    """A .zip of a course folder becomes the course's new draft. Raises UploadRefused with
    every reason, before anything is stored."""
    archive: Archive = read_course_archive(data)
    if COURSE_FILE not in archive.files:
        raise UploadRefused([Refusal(N_("The archive has no course.md: zip the course folder "
                                        "itself."))])
    slug = archive.folder or Path(filename).stem
    source = _source_for_new_files(actor, slug, now)
    revision = store_revision(source, archive.files, kind="upload",
                              message=f"Uploaded {Path(filename).name}", actor=actor, now=now)
    source.draft_revision_id = revision.id
    return revision


def create_course(actor: User, slug: str, title: str, now: datetime) -> SourceRevision:
    authorize(actor, "authoring.create", None)
    _check_slug(slug)
    if find_source(slug) is not None or db.session.scalar(
            select(Course.id).where(Course.slug == slug)) is not None:
        raise ValidationError(_('A course "%(id)s" exists already.', id=slug), field="slug")
    if not title.strip():
        raise ValidationError(_("Give the course a title."), field="title")
    source = new_source(actor, slug, now)
    revision = store_revision(source, new_course_files(title.strip()), kind="new",
                              message="New course from the template", actor=actor, now=now)
    source.draft_revision_id = revision.id
    return revision


class EditConflict(DomainError):
    """Someone saved the same file since this editor was opened."""

    def __init__(self, path: str, theirs: str, diff: list[str]) -> None:
        super().__init__(_("%(path)s was changed by someone else since you opened it. Your "
                           "text is below the changes they made: merge them and save again.",
                           path=path), field="text")
        self.theirs, self.diff = theirs, diff


def _change_draft(actor: User, source: CourseSource, change: Callable[[dict[str, bytes]], str],
                  now: datetime) -> SourceRevision:
    authorize(actor, "authoring.edit", source)
    files = revision_files(source.draft_revision_id)
    message = change(files)
    revision = store_revision(source, files, kind="edit", message=message, actor=actor, now=now)
    source.draft_revision_id = revision.id
    return revision


def save_file(actor: User, source: CourseSource, path: str, text: str, *, base_revision_id: int,
              now: datetime) -> SourceRevision:
    """Save one file of the draft. If the file changed in the draft since `base_revision_id`
    (the revision the editor was opened on), the save is refused with the difference."""
    authorize(actor, "authoring.edit", source)
    base = revision_files(base_revision_id).get(path)
    current = revision_files(source.draft_revision_id).get(path)
    if current is not None and current != base:
        theirs = current.decode("utf-8", errors="replace")
        raise EditConflict(path, theirs, text_diff(theirs, text.replace("\r\n", "\n"),
                                                   f"saved/{path}", f"yours/{path}"))
    if current is None:
        raise DomainError(_("%(path)s is no longer in the draft.", path=path))

    def change(files: dict[str, bytes]) -> str:
        files[path] = text_bytes(text)
        return f"Edited {path}"
    return _change_draft(actor, source, change, now)


def add_module(actor: User, source: CourseSource, filename: str, title: str,
               now: datetime) -> SourceRevision:
    if module_id(filename) is None:
        raise ValidationError(_('Name the file like "02-next-steps.md": a number, "-", then the '
                                'module id.'), field="filename")

    def change(files: dict[str, bytes]) -> str:
        if filename in files:
            raise ValidationError(_("%(file)s exists already.", file=filename),
                                  field="filename")
        files[filename] = f"---\ntitle: {title.strip() or 'New module'}\n---\n\nWrite the " \
                          "lesson here.\n".encode()
        return f"Added {filename}"
    return _change_draft(actor, source, change, now)


def add_version(actor: User, source: CourseSource, path: str, language: str,
                now: datetime) -> SourceRevision:
    """A translation of course.md or of a module file in `language`: a new file of the draft
    (`01-intro.fr.md`) holding the original's text, its structure kept, to translate. The
    draft's validation holds it to the original from then on."""
    tag = normalize_tag(language.strip())
    if tag is None:
        raise ValidationError(_('"%(language)s" is not a language tag such as "fr".',
                                 language=language), field="language")
    if path != COURSE_FILE and module_id(path) is None:
        raise DomainError(_("Only course.md and module files have language versions."))
    new_path = version_path(path, tag)

    def change(files: dict[str, bytes]) -> str:
        if path not in files:
            raise DomainError(_("%(path)s is not in the draft.", path=path))
        if new_path in files:
            raise ValidationError(_("%(path)s exists already.", path=new_path),
                                  field="language")
        original = files[path].decode("utf-8", errors="replace")
        files[new_path] = text_bytes(version_text(path, original))
        return f"Added {new_path}, a translation of {path} to translate"
    return _change_draft(actor, source, change, now)


def rename_module(actor: User, source: CourseSource, path: str, new_name: str, *,
                  keep_id: bool, now: datetime) -> SourceRevision:
    old_id, new_id = module_id(path), module_id(new_name)
    if old_id is None or new_id is None:
        raise ValidationError(_('Module files are named like "02-next-steps.md".'),
                              field="new_name")

    def change(files: dict[str, bytes]) -> str:
        if path not in files:
            raise DomainError(_("%(path)s is not in the draft.", path=path))
        if new_name in files:
            raise ValidationError(_("%(file)s exists already.", file=new_name),
                                  field="new_name")
        data = files.pop(path)
        if keep_id and old_id != new_id:
            data = with_alias(data.decode("utf-8", errors="replace"), old_id).encode()
        files[new_name] = data
        return f"Renamed {path} to {new_name}" + (" keeping its id" if keep_id else "")
    return _change_draft(actor, source, change, now)


def delete_file(actor: User, source: CourseSource, path: str, now: datetime) -> SourceRevision:
    if path == COURSE_FILE:
        raise DomainError(_("course.md cannot be deleted: it describes the course."))

    def change(files: dict[str, bytes]) -> str:
        if files.pop(path, None) is None:
            raise DomainError(_("%(path)s is not in the draft.", path=path))
        return f"Deleted {path}"
    return _change_draft(actor, source, change, now)


def add_media(actor: User, source: CourseSource, name: str, data: bytes,
              now: datetime) -> SourceRevision:
    path = f"media/{Path(name).name}"
    problem = path_problem(path) or size_problem(path, len(data))
    if problem is not None:
        raise ValidationError(problem.reason(_), field="media")
    if not data:
        raise ValidationError(_("The file is empty."), field="media")

    def change(files: dict[str, bytes]) -> str:
        files[path] = data
        return f"Uploaded {path}"
    return _change_draft(actor, source, change, now)
