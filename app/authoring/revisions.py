"""Course sources and their revisions: content-addressed files, stored once per digest."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.auth.models import User
from app.authoring.models import CourseSource, SourceBlob, SourceFile, SourceRevision
from app.authoring.tree import is_text
from app.content.loader import sha256, tree_fingerprint
from app.content.models import Course
from app.core.errors import NotFound
from app.extensions import db
from app.records.services import AUTOMATIC, Actor


def course_of(source: CourseSource) -> Course | None:
    return db.session.scalar(select(Course).where(Course.slug == source.slug))


def revision_files(revision_id: int | None) -> dict[str, bytes]:
    if revision_id is None:
        return {}
    return {path: data for path, data in db.session.execute(
        select(SourceFile.path, SourceBlob.data)
        .join(SourceBlob, SourceBlob.sha256 == SourceFile.sha256)
        .where(SourceFile.revision_id == revision_id))}


def store_revision(source: CourseSource, files: Mapping[str, bytes], *, kind: str,
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
        raise NotFound(_("no course source %(course)s", course=repr(slug)))
    return source


def new_source(actor: User | None, slug: str, now: datetime) -> CourseSource:
    source = CourseSource(slug=slug, created_by_id=actor.id if actor else None, created_at=now)
    db.session.add(source)
    db.session.flush()
    return source


def text_bytes(text: str) -> bytes:
    # Browsers send CRLF from a textarea; course files keep the LF the rest of the repo uses.
    return text.replace("\r\n", "\n").encode()


def text_of(files: Mapping[str, bytes], path: str) -> str | None:
    data = files.get(path)
    return None if data is None or not is_text(path) else data.decode("utf-8", errors="replace")
