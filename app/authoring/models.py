"""Course sources: the files of each course as revisions, with a draft and a published one.

Files are stored once by content (`source_blobs`, keyed by SHA-256) and listed per revision,
so a revision that changes one file costs one row per file and one new blob.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model

REVISION_KINDS = ("upload", "edit", "import", "rollback", "new")


class CourseSource(Model):
    __tablename__ = "course_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)  # the course id
    # Pointers into this source's revisions, kept by the services. Not foreign keys: revisions
    # already point at their source, and a cycle of keys would make the tables awkward to
    # create and empty.
    draft_revision_id: Mapped[int | None]
    published_revision_id: Mapped[int | None]
    # Who brought the course into TrainHub: may edit it until it is published and has staff.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]


class SourceRevision(Model):
    __tablename__ = "source_revisions"
    __table_args__ = (
        UniqueConstraint("source_id", "number"),
        CheckConstraint("kind IN ('upload', 'edit', 'import', 'rollback', 'new')",
                        name="known_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("course_sources.id"), index=True)
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the CLI
    author_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    # The fingerprint of its files (loader.fingerprint), as `flask courses import` computes
    # it over a folder; the course imported from them has `loader.import_hash` of it.
    content_hash: Mapped[str] = mapped_column(String(64))


class SourceFile(Model):
    __tablename__ = "source_files"

    revision_id: Mapped[int] = mapped_column(ForeignKey("source_revisions.id"),
                                             primary_key=True)
    path: Mapped[str] = mapped_column(String(300), primary_key=True)  # "media/x.svg"
    sha256: Mapped[str] = mapped_column(ForeignKey("source_blobs.sha256"))


class SourceBlob(Model):
    __tablename__ = "source_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
