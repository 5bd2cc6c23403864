"""Course sources in the browser: upload, edit, validate, preview, publish, roll back.

Publishing goes through the content pipeline unchanged: the draft's files are laid out in a
temporary folder, read by the loader with every rule, and imported by the importer in the
caller's transaction, so a publish is all or nothing like `flask courses import`.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from app.auth.models import User
from app.authoring.archive import Archive, UploadRefused, read_course_archive
from app.authoring.models import CourseSource, SourceBlob, SourceFile, SourceRevision
from app.authoring.tree import (
    is_text,
    module_id,
    new_course_files,
    path_problem,
    size_problem,
    text_diff,
    with_alias,
)
from app.content.importer import (
    ImportSummary,
    check_against_stored,
    import_courses,
)
from app.content.loader import COURSE_FILE, COURSE_ID, load_courses, sha256, tree_fingerprint
from app.content.models import Course, Module
from app.content.specs import ContentError, CourseSpec, ModuleSpec, Problem
from app.core.auth import authorize
from app.core.errors import DomainError, NotFound, ValidationError
from app.core.roles import Role
from app.extensions import db
from app.learning.services import add_author_as_instructor, staff_roles
from app.records.services import AUTOMATIC, Actor, record_event

# --- who may do what ----------------------------------------------------------------------


def _course_of(source: CourseSource) -> Course | None:
    return db.session.scalar(select(Course).where(Course.slug == source.slug))


def may_create(actor: User, _nothing: object) -> bool:
    return actor.has_role(Role.ADMIN) or actor.has_role(Role.INSTRUCTOR)


def may_edit(actor: User, source: CourseSource) -> bool:
    """Admins; the course's instructors; before the first publish, whoever brought it in."""
    if actor.has_role(Role.ADMIN):
        return True
    course = _course_of(source)
    if course is None:
        return source.created_by_id == actor.id and actor.has_role(Role.INSTRUCTOR)
    return "instructor" in staff_roles(actor, course.id)


def may_preview(actor: User, source: CourseSource) -> bool:
    """Editors, and the course's assessors: they see the draft as learners will."""
    if may_edit(actor, source):
        return True
    course = _course_of(source)
    return course is not None and "assessor" in staff_roles(actor, course.id)


# --- revisions ------------------------------------------------------------------------------


def revision_files(revision_id: int | None) -> dict[str, bytes]:
    if revision_id is None:
        return {}
    return {path: data for path, data in db.session.execute(
        select(SourceFile.path, SourceBlob.data)
        .join(SourceBlob, SourceBlob.sha256 == SourceFile.sha256)
        .where(SourceFile.revision_id == revision_id))}


def _store_revision(source: CourseSource, files: Mapping[str, bytes], *, kind: str,
                    message: str, actor: Actor | None, now: datetime) -> SourceRevision:
    digests = {path: sha256(data) for path, data in files.items()}
    stored = set(db.session.scalars(select(SourceBlob.sha256).where(
        SourceBlob.sha256.in_(set(digests.values())))))
    for path, digest in digests.items():
        if digest not in stored:
            db.session.add(SourceBlob(sha256=digest, size=len(files[path]), data=files[path]))
            stored.add(digest)
    number = (db.session.scalar(select(func.max(SourceRevision.number)).where(
        SourceRevision.source_id == source.id)) or 0) + 1
    revision = SourceRevision(
        source_id=source.id, number=number, kind=kind, message=message.strip(),
        author_id=actor.id if actor else None, author_name=actor.name if actor else AUTOMATIC,
        created_at=now, content_hash=tree_fingerprint(files.items()))
    db.session.add(revision)
    db.session.flush()
    db.session.add_all(SourceFile(revision_id=revision.id, path=path, sha256=digest)
                       for path, digest in digests.items())
    db.session.flush()
    return revision


def find_source(slug: str) -> CourseSource | None:
    return db.session.scalar(select(CourseSource).where(CourseSource.slug == slug))


def source_or_error(slug: str) -> CourseSource:
    source = find_source(slug)
    if source is None:
        raise NotFound(f"no course source {slug!r}")
    return source


def _new_source(actor: User | None, slug: str, now: datetime) -> CourseSource:
    source = CourseSource(slug=slug, created_by_id=actor.id if actor else None, created_at=now)
    db.session.add(source)
    db.session.flush()
    return source


def _check_slug(slug: str) -> None:
    if not COURSE_ID.match(slug):
        raise ValidationError(f'"{slug}" cannot be a course id: use lowercase letters, digits '
                              'and "-"', field="slug")


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
        raise DomainError(f'A course "{slug}" exists and you do not teach it.')
    return _new_source(actor, slug, now)


def upload_course(actor: User, filename: str, data: bytes, now: datetime) -> SourceRevision:
    """A .zip of a course folder becomes the course's new draft. Raises UploadRefused with
    every reason, before anything is stored."""
    archive: Archive = read_course_archive(data)
    if COURSE_FILE not in archive.files:
        raise UploadRefused(["The archive has no course.md: zip the course folder itself."])
    slug = archive.folder or Path(filename).stem
    source = _source_for_new_files(actor, slug, now)
    revision = _store_revision(source, archive.files, kind="upload",
                               message=f"Uploaded {Path(filename).name}", actor=actor, now=now)
    source.draft_revision_id = revision.id
    return revision


def create_course(actor: User, slug: str, title: str, now: datetime) -> SourceRevision:
    authorize(actor, "authoring.create", None)
    _check_slug(slug)
    if find_source(slug) is not None or db.session.scalar(
            select(Course.id).where(Course.slug == slug)) is not None:
        raise ValidationError(f'A course "{slug}" exists already.', field="slug")
    if not title.strip():
        raise ValidationError("Give the course a title.", field="title")
    source = _new_source(actor, slug, now)
    revision = _store_revision(source, new_course_files(title.strip()), kind="new",
                               message="New course from the template", actor=actor, now=now)
    source.draft_revision_id = revision.id
    return revision


class EditConflict(DomainError):
    """Someone saved the same file since this editor was opened."""

    def __init__(self, path: str, theirs: str, diff: list[str]) -> None:
        super().__init__(f"{path} was changed by someone else since you opened it. Your text "
                         "is below the changes they made: merge them and save again.",
                         field="text")
        self.theirs, self.diff = theirs, diff


def _change_draft(actor: User, source: CourseSource, change: Callable[[dict[str, bytes]], str],
                  now: datetime) -> SourceRevision:
    authorize(actor, "authoring.edit", source)
    files = revision_files(source.draft_revision_id)
    message = change(files)
    revision = _store_revision(source, files, kind="edit", message=message, actor=actor, now=now)
    source.draft_revision_id = revision.id
    return revision


def _text_bytes(text: str) -> bytes:
    # Browsers send CRLF from a textarea; course files keep the LF the rest of the repo uses.
    return text.replace("\r\n", "\n").encode()


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
        raise DomainError(f"{path} is no longer in the draft.")

    def change(files: dict[str, bytes]) -> str:
        files[path] = _text_bytes(text)
        return f"Edited {path}"
    return _change_draft(actor, source, change, now)


def add_module(actor: User, source: CourseSource, filename: str, title: str,
               now: datetime) -> SourceRevision:
    if module_id(filename) is None:
        raise ValidationError('Name the file like "02-next-steps.md": a number, "-", then the '
                              'module id.', field="filename")

    def change(files: dict[str, bytes]) -> str:
        if filename in files:
            raise ValidationError(f"{filename} exists already.", field="filename")
        files[filename] = f"---\ntitle: {title.strip() or 'New module'}\n---\n\nWrite the " \
                          "lesson here.\n".encode()
        return f"Added {filename}"
    return _change_draft(actor, source, change, now)


def rename_module(actor: User, source: CourseSource, path: str, new_name: str, *,
                  keep_id: bool, now: datetime) -> SourceRevision:
    old_id, new_id = module_id(path), module_id(new_name)
    if old_id is None or new_id is None:
        raise ValidationError('Module files are named like "02-next-steps.md".',
                              field="new_name")

    def change(files: dict[str, bytes]) -> str:
        if path not in files:
            raise DomainError(f"{path} is not in the draft.")
        if new_name in files:
            raise ValidationError(f"{new_name} exists already.", field="new_name")
        data = files.pop(path)
        if keep_id and old_id != new_id:
            data = with_alias(data.decode("utf-8", errors="replace"), old_id).encode()
        files[new_name] = data
        return f"Renamed {path} to {new_name}" + (" keeping its id" if keep_id else "")
    return _change_draft(actor, source, change, now)


def delete_file(actor: User, source: CourseSource, path: str, now: datetime) -> SourceRevision:
    if path == COURSE_FILE:
        raise DomainError("course.md cannot be deleted: it describes the course.")

    def change(files: dict[str, bytes]) -> str:
        if files.pop(path, None) is None:
            raise DomainError(f"{path} is not in the draft.")
        return f"Deleted {path}"
    return _change_draft(actor, source, change, now)


def add_media(actor: User, source: CourseSource, name: str, data: bytes,
              now: datetime) -> SourceRevision:
    path = f"media/{Path(name).name}"
    problem = path_problem(path) or size_problem(path, len(data))
    if problem is not None:
        raise ValidationError(problem.replace(path + ": ", ""), field="media")
    if not data:
        raise ValidationError("The file is empty.", field="media")

    def change(files: dict[str, bytes]) -> str:
        files[path] = data
        return f"Uploaded {path}"
    return _change_draft(actor, source, change, now)


# --- validation, preview ----------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    course: CourseSpec | None
    problems: list[Problem]  # errors, which stop publishing; paths relative to the course folder
    warnings: list[Problem] = field(default_factory=list)  # the same, but publishing goes on

    def module(self, path: str) -> ModuleSpec | None:
        if self.course is None:
            return None
        return next((m for m in self.course.modules if m.filename == path), None)


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
        files[path] = _text_bytes(text[:MAX_PREVIEW_CHARS])
    return check_files(source.slug, files)


# --- publishing -----------------------------------------------------------------------------


def _publish_files(actor: User | None, source: CourseSource, files: Mapping[str, bytes],
                   now: datetime) -> tuple[ImportSummary, Checked]:
    checked = check_files(source.slug, files)
    if checked.problems or checked.course is None:
        raise ContentError(checked.problems)
    (summary,) = import_courses([checked.course], now=now, actor=actor)
    course = _course_of(source)
    creator = db.session.get(User, source.created_by_id) if source.created_by_id else None
    if course is not None and creator is not None and creator.has_role(Role.INSTRUCTOR) \
            and "instructor" not in staff_roles(creator, course.id):
        # Whoever brought the course in teaches it, so that they can go on editing it.
        add_author_as_instructor(actor, course, creator, now)
    return summary, checked


def publish(actor: User, source: CourseSource, now: datetime) -> ImportSummary:
    """Validate and import the draft; learners see it from the commit on. Raises
    ContentError with every problem; nothing is flushed then."""
    authorize(actor, "authoring.edit", source)
    if source.draft_revision_id is None:
        raise DomainError("There is no draft to publish.")
    if source.draft_revision_id == source.published_revision_id:
        raise DomainError("The draft is what learners see already: nothing to publish.")
    revision = db.session.get(SourceRevision, source.draft_revision_id)
    assert revision is not None
    summary, _ = _publish_files(actor, source, revision_files(revision.id), now)
    source.published_revision_id = revision.id
    record_event("course.published", actor=actor, now=now, subject_type="course_source",
                 subject_id=source.id, course_id=_course_id(source),
                 details={"course": source.slug, "revision": revision.number,
                          "content_hash": revision.content_hash, "import": summary.line()})
    return summary


_VERSION_LINE = re.compile(r"^version:\s*(\d+)\s*$", re.MULTILINE)


def _keep_versions(files: dict[str, bytes], checked: Checked,
                   current: Mapping[str, int]) -> list[str]:
    """Module versions never go down: where the earlier revision has a lower version than the
    published module, keep the published number. Returns the files changed."""
    kept: list[str] = []
    if checked.course is None:
        return kept
    for spec in checked.course.modules:
        now_version = current.get(spec.slug)
        if now_version is None or spec.version >= now_version:
            continue
        text = files[spec.filename].decode("utf-8")
        front_end = text.find("\n---", 3)
        head, rest = text[:front_end], text[front_end:]
        if _VERSION_LINE.search(head):
            head = _VERSION_LINE.sub(f"version: {now_version}", head, count=1)
        else:
            head += f"\nversion: {now_version}"
        files[spec.filename] = (head + rest).encode()
        kept.append(f"{spec.filename} keeps version {now_version}")
    return kept


def roll_back(actor: User, source: CourseSource, revision: SourceRevision,
              now: datetime) -> tuple[SourceRevision, list[str]]:
    """Publish the files of an earlier revision as a new revision (history is never
    rewritten). Returns it and the modules whose version number was kept."""
    authorize(actor, "authoring.edit", source)
    if revision.source_id != source.id:
        raise NotFound("no such revision of this course")
    files = revision_files(revision.id)
    course = _course_of(source)
    current = {} if course is None else {slug: version for slug, version in db.session.execute(
        select(Module.slug, Module.version).where(Module.course_id == course.id))}
    kept = _keep_versions(files, check_files(source.slug, revision_files(revision.id)),
                          current)
    new = _store_revision(source, files, kind="rollback",
                          message=f"Rolled back to revision {revision.number}", actor=actor,
                          now=now)
    summary, _ = _publish_files(actor, source, files, now)
    source.draft_revision_id = source.published_revision_id = new.id
    record_event("course.rolled_back", actor=actor, now=now, subject_type="course_source",
                 subject_id=source.id, course_id=_course_id(source),
                 details={"course": source.slug, "to_revision": revision.number,
                          "revision": new.number, "content_hash": new.content_hash,
                          "versions_kept": kept, "import": summary.line()})
    return new, kept


def _course_id(source: CourseSource) -> int | None:
    course = _course_of(source)
    return course.id if course else None


# --- the command line meets the browser ------------------------------------------------------


def folder_files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and not any(part.startswith(".")
                                          for part in path.relative_to(folder).parts)}


def record_folder_import(folder: Path, digest: str, now: datetime, actor: Actor | None,
                         source_commit: str | None) -> SourceRevision | None:
    """After `flask courses import`: the folder's files (whose fingerprint is `digest`) become
    the published revision, and the draft too unless it holds edits not yet published."""
    source = find_source(folder.name) or _new_source(None, folder.name, now)
    published = db.session.get(SourceRevision, source.published_revision_id) \
        if source.published_revision_id else None
    if published is not None and published.content_hash == digest:
        return None
    files = folder_files(folder)
    where = f" at commit {source_commit[:12]}" if source_commit else ""
    revision = _store_revision(source, files, kind="import",
                               message=f"Imported from {folder}{where}", actor=actor, now=now)
    if source.draft_revision_id in (None, source.published_revision_id):
        source.draft_revision_id = revision.id
    source.published_revision_id = revision.id
    return revision


def export_published(source: CourseSource, target: Path) -> list[str]:
    """Write the published revision's files into `target` (the course folder), byte for byte.
    Files in `target` that the revision does not have are removed, so that the folder is
    the revision; hidden files (.git) are left alone."""
    if source.published_revision_id is None:
        raise DomainError(f"{source.slug} has no published revision.")
    files = revision_files(source.published_revision_id)
    if target.exists():
        for path in folder_files(target):
            if path not in files:
                (target / path).unlink()
    for path, data in sorted(files.items()):
        destination = target / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data)
    return sorted(files)


def text_of(files: Mapping[str, bytes], path: str) -> str | None:
    data = files.get(path)
    return None if data is None or not is_text(path) else data.decode("utf-8", errors="replace")

