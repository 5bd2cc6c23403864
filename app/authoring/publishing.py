"""Publishing a draft, and rolling back to an earlier revision.

A publish checks the files as a whole (`checking.check_files`) and imports them with the
importer in the caller's transaction, so it is all or nothing like `flask courses import`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.authoring.checking import Checked, check_files
from app.authoring.models import CourseSource, SourceRevision
from app.authoring.revisions import course_of, revision_files, store_revision
from app.centres.catalogue import authored_course_centre
from app.centres.models import Centre
from app.centres.scope import may_staff_centre
from app.content.importer import ImportSummary, import_courses
from app.content.models import Module
from app.content.specs import ContentError, CourseSpec, Problem
from app.core.auth import authorize
from app.core.errors import DomainError, NotFound
from app.core.roles import Role
from app.extensions import db
from app.learning.services import add_author_as_instructor, staff_roles
from app.records.services import record_event


def _publish_files(actor: User | None, source: CourseSource, files: Mapping[str, bytes],
                   now: datetime) -> tuple[ImportSummary, Checked]:
    checked = check_files(source.slug, files)
    if checked.problems or checked.course is None:
        raise ContentError(checked.problems)
    _check_centre(actor, checked.course)
    (summary,) = import_courses([checked.course], now=now, actor=actor)
    course = course_of(source)
    creator = db.session.get(User, source.created_by_id) if source.created_by_id else None
    if course is not None and summary.status == "added" and not checked.course.centre:
        # A course created in the browser belongs to a centre where its author teaches.
        course.centre_id = authored_course_centre(creator, now)
    if course is not None and creator is not None and creator.has_role(Role.INSTRUCTOR) \
            and "instructor" not in staff_roles(creator, course.id):
        # Whoever brought the course in teaches it, so that they can go on editing it.
        add_author_as_instructor(actor, course, creator, now)
    return summary, checked


def _check_centre(actor: User | None, spec: CourseSpec) -> None:
    """`centre:` in course.md may name only a centre where the publisher is instructor or
    centre administrator (any centre for the network administrator)."""
    if not spec.centre or actor is None:
        return
    centre_id = db.session.scalar(select(Centre.id).where(Centre.code == spec.centre))
    if centre_id is not None and not may_staff_centre(actor, centre_id, "instructor",
                                                      "centre_admin"):
        raise ContentError([Problem(
            "course.md", spec.line_of.get("centre", 1),
            f'you are neither instructor nor centre administrator at centre "{spec.centre}"',
            code="centre-not-yours")])


def publish(actor: User, source: CourseSource, now: datetime) -> ImportSummary:
    """Validate and import the draft; learners see it from the commit on. Raises
    ContentError with every problem; nothing is flushed then."""
    authorize(actor, "authoring.edit", source)
    if source.draft_revision_id is None:
        raise DomainError(_("There is no draft to publish."))
    if source.draft_revision_id == source.published_revision_id:
        raise DomainError(_("The draft is what learners see already: nothing to publish."))
    revision = db.session.get(SourceRevision, source.draft_revision_id)
    assert revision is not None
    summary, _checked = _publish_files(actor, source, revision_files(revision.id), now)
    source.published_revision_id = revision.id
    record_event("course.published", actor=actor, now=now, subject_type="course_source",
                 subject_id=source.id, course_id=_course_id(source),
                 details={"course": source.slug, "revision": revision.number,
                          "content_hash": revision.content_hash, "import": summary.line()})
    return summary


class KeptVersion(NamedTuple):
    """A module file whose version a rollback kept at the published number."""

    filename: str
    version: int

    def __str__(self) -> str:  # as the audit trail records it, in English
        return f"{self.filename} keeps version {self.version}"


_VERSION_LINE = re.compile(r"^version:\s*(\d+)\s*$", re.MULTILINE)


def _keep_versions(files: dict[str, bytes], checked: Checked,
                   current: Mapping[str, int]) -> list[KeptVersion]:
    """Module versions never go down: where the earlier revision has a lower version than the
    published module, keep the published number. Returns the files changed."""
    kept: list[KeptVersion] = []
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
        kept.append(KeptVersion(spec.filename, now_version))
    return kept


def roll_back(actor: User, source: CourseSource, revision: SourceRevision,
              now: datetime) -> tuple[SourceRevision, list[KeptVersion]]:
    """Publish the files of an earlier revision as a new revision (history is never
    rewritten). Returns it and the modules whose version number was kept."""
    authorize(actor, "authoring.edit", source)
    if revision.source_id != source.id:
        raise NotFound(_("no such revision of this course"))
    files = revision_files(revision.id)
    course = course_of(source)
    current = {} if course is None else {slug: version for slug, version in db.session.execute(
        select(Module.slug, Module.version).where(Module.course_id == course.id))}
    kept = _keep_versions(files, check_files(source.slug, revision_files(revision.id)),
                          current)
    new = store_revision(source, files, kind="rollback",
                         message=f"Rolled back to revision {revision.number}", actor=actor,
                         now=now)
    summary, _checked = _publish_files(actor, source, files, now)
    source.draft_revision_id = source.published_revision_id = new.id
    record_event("course.rolled_back", actor=actor, now=now, subject_type="course_source",
                 subject_id=source.id, course_id=_course_id(source),
                 details={"course": source.slug, "to_revision": revision.number,
                          "revision": new.number, "content_hash": new.content_hash,
                          "versions_kept": [str(k) for k in kept], "import": summary.line()})
    return new, kept


def _course_id(source: CourseSource) -> int | None:
    course = course_of(source)
    return course.id if course else None
