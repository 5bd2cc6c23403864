"""Who may do what with a course source: create one, edit its draft, preview it."""

from __future__ import annotations

from dataclasses import dataclass

from app.auth.models import User
from app.authoring.models import CourseSource
from app.authoring.revisions import course_of
from app.core.roles import Role
from app.learning.queries import CourseView
from app.learning.services import staff_roles


@dataclass(frozen=True)
class ViewedSource:
    """A course source with the page's view of its published course, read for the viewer:
    the policies take the viewer's staff roles from the view instead of reading them."""

    source: CourseSource
    view: CourseView


def _source_and_roles(actor: User, obj: CourseSource | ViewedSource
                      ) -> tuple[CourseSource, frozenset[str] | None]:
    """The source, and the actor's roles on the staff of its course (None before the first
    publish, when there is no course)."""
    if isinstance(obj, ViewedSource):
        assert obj.view.course.slug == obj.source.slug
        return obj.source, staff_roles(actor, obj.view.course.id, obj.view)
    course = course_of(obj)
    return obj, staff_roles(actor, course.id) if course is not None else None


def may_create(actor: User, _nothing: object) -> bool:
    return actor.has_role(Role.ADMIN) or actor.has_role(Role.INSTRUCTOR)


def _staff_may(actor: User, obj: CourseSource | ViewedSource, allowed: set[str]) -> bool:
    """Admins; course staff holding one of `allowed`; before the first publish (no course
    yet), the instructor who brought the source in."""
    if actor.has_role(Role.ADMIN):
        return True
    source, roles = _source_and_roles(actor, obj)
    if roles is None:
        return source.created_by_id == actor.id and actor.has_role(Role.INSTRUCTOR)
    return bool(roles & allowed)


def may_edit(actor: User, obj: CourseSource | ViewedSource) -> bool:
    """Admins; the course's instructors; before the first publish, whoever brought it in."""
    return _staff_may(actor, obj, {"instructor"})


def may_preview(actor: User, obj: CourseSource | ViewedSource) -> bool:
    """Editors, and the course's assessors: they see the draft as learners will."""
    return _staff_may(actor, obj, {"instructor", "assessor"})
