"""The command line meets the browser: `flask courses import` records the folder it read as
the published revision, and `flask courses export` writes a published revision back."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask_babel import gettext as _

from app.authoring.models import CourseSource, SourceRevision
from app.authoring.revisions import find_source, new_source, revision_files, store_revision
from app.core.errors import DomainError
from app.extensions import db
from app.records.services import Actor


def folder_files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and not any(part.startswith(".")
                                          for part in path.relative_to(folder).parts)}


def record_folder_import(folder: Path, digest: str, now: datetime, actor: Actor | None,
                         source_commit: str | None) -> SourceRevision | None:
    """After `flask courses import`: the folder's files (whose fingerprint is `digest`) become
    the published revision, and the draft too unless it holds edits not yet published."""
    source = find_source(folder.name) or new_source(None, folder.name, now)
    published = db.session.get(SourceRevision, source.published_revision_id) \
        if source.published_revision_id else None
    if published is not None and published.content_hash == digest:
        return None
    files = folder_files(folder)
    where = f" at commit {source_commit[:12]}" if source_commit else ""
    revision = store_revision(source, files, kind="import",
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
        raise DomainError(_("%(course)s has no published revision.", course=source.slug))
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
