"""Who may do what with a course source: create one, edit its draft, preview it."""

from __future__ import annotations

from app.auth.models import User
from app.authoring.models import CourseSource
from app.authoring.revisions import course_of
from app.core.roles import Role
from app.learning.services import staff_roles


def may_create(actor: User, _nothing: object) -> bool:
    return actor.has_role(Role.ADMIN) or actor.has_role(Role.INSTRUCTOR)


def may_edit(actor: User, source: CourseSource) -> bool:
    """Admins; the course's instructors; before the first publish, whoever brought it in."""
    if actor.has_role(Role.ADMIN):
        return True
    course = course_of(source)
    if course is None:
        return source.created_by_id == actor.id and actor.has_role(Role.INSTRUCTOR)
    return "instructor" in staff_roles(actor, course.id)


def may_preview(actor: User, source: CourseSource) -> bool:
    """Editors, and the course's assessors: they see the draft as learners will."""
    if may_edit(actor, source):
        return True
    course = course_of(source)
    return course is not None and "assessor" in staff_roles(actor, course.id)
