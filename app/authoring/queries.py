"""Read-side queries for the authoring pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.auth.models import User
from app.authoring.models import CourseSource, SourceRevision
from app.content.models import Course
from app.core.roles import Role
from app.extensions import db
from app.learning.models import CourseStaff


@dataclass
class SourceLine:
    source: CourseSource
    title: str | None  # of the published course
    draft: SourceRevision | None

    @property
    def unpublished(self) -> bool:
        return self.source.draft_revision_id != self.source.published_revision_id


def editable_sources(user: User) -> list[SourceLine]:
    """The sources the user may edit, in one statement."""
    query = (select(CourseSource, Course.title, SourceRevision)
             .outerjoin(Course, Course.slug == CourseSource.slug)
             .outerjoin(SourceRevision, SourceRevision.id == CourseSource.draft_revision_id)
             .order_by(CourseSource.slug))
    if not user.has_role(Role.ADMIN):
        taught = select(CourseStaff.course_id).where(CourseStaff.user_id == user.id,
                                                     CourseStaff.role == "instructor")
        query = query.where(Course.id.in_(taught) | (
            Course.id.is_(None) & (CourseSource.created_by_id == user.id)))
    return [SourceLine(source, title, draft) for source, title, draft in db.session.execute(query)]


def revisions(source: CourseSource) -> list[SourceRevision]:
    return list(db.session.scalars(select(SourceRevision).where(
        SourceRevision.source_id == source.id).order_by(SourceRevision.number.desc())))
