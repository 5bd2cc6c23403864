"""Which centres a staff member works at: the one answer every staff page and query asks.

`staff_centre_ids(user, *roles)` is the set of centres where `user` holds any of `roles`
(every centre role when none is named), or None for "every centre": the network
administrator (the account-wide admin role). A staff query keeps the rows of those centres
with `in_centres(column, ids)`; a policy about one object asks `may_staff_centre`.

The answer is read once per user object (one statement) and kept on it, so that a page
that asks several policies and queries reads it once; the request's user is loaded anew by
every request, and the services that change centre roles forget what they changed
(`forget`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, column, exists, false, or_, select, table, true, union

from app.centres.models import CENTRE_ROLES, CentreRole
from app.core.roles import Role
from app.extensions import db

_KEPT = "_trainhub_centre_roles"
# Learning's and content's tables by name only: they import centres, never the reverse.
_enrolments = table("enrolments", column("course_id"), column("user_id"), column("centre_id"))
_courses = table("courses", column("id"), column("centre_id"))
_offers = table("centre_courses", column("centre_id"), column("course_id"))
_intakes = table("intakes", column("id"), column("centre_id"))
_members = table("intake_members", column("intake_id"), column("user_id"))


def centre_roles(user: Any) -> frozenset[tuple[int, str]]:
    """(centre id, role) for every centre role `user` holds: one statement per user object."""
    held = getattr(user, _KEPT, None)
    if held is None:
        held = frozenset((row.centre_id, row.role) for row in db.session.execute(
            select(CentreRole.centre_id, CentreRole.role)
            .where(CentreRole.user_id == user.id)))
        setattr(user, _KEPT, held)
    return held


def forget(user: Any) -> None:
    """Read the user's centre roles again next time (after a grant or a removal)."""
    if hasattr(user, _KEPT):
        delattr(user, _KEPT)


def is_network_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", True)) and user.has_role(Role.ADMIN)


def staff_centre_ids(user: Any, *roles: str) -> frozenset[int] | None:
    """The ids of the centres where `user` holds any of `roles` (all centre roles if none
    given); None means every centre: the network administrator."""
    if user is None or not getattr(user, "is_authenticated", True):
        return frozenset()
    if is_network_admin(user):
        return None
    unknown = set(roles) - set(CENTRE_ROLES)
    if unknown:
        raise ValueError(f"not a centre role: {', '.join(sorted(unknown))}")
    wanted = set(roles or CENTRE_ROLES)
    return frozenset(centre for centre, role in centre_roles(user) if role in wanted)


def may_staff_centre(user: Any, centre_id: int | None, *roles: str) -> bool:
    """Whether `user` holds any of `roles` (any centre role if none) at the centre."""
    ids = staff_centre_ids(user, *roles)
    return ids is None or (centre_id is not None and centre_id in ids)


def in_centres(column: Any, ids: frozenset[int] | None) -> ColumnElement[bool]:
    """The condition that keeps a query's rows to the centres `ids` (None: every centre)."""
    if ids is None:
        return true()
    if not ids:
        return false()
    return column.in_(sorted(ids))


def centre_param(ids: frozenset[int] | None) -> dict[str, Any]:
    """The bound values of `SCOPED` in a prebuilt statement: every centre, or these."""
    return {"all_centres": ids is None, "centres": sorted(ids or ())}


def learner_in_centres(course_id: Any, user_id: Any,
                       ids: frozenset[int] | None) -> ColumnElement[bool]:
    """The condition that the learner (`user_id`, a column or value) is enrolled in the
    course through one of the centres `ids`: attempts, sign-offs, attendance and
    certificates are seen by the staff of the centre the learner enrolled through."""
    if ids is None:
        return true()
    if not ids:
        return false()
    return exists(select(1).select_from(_enrolments).where(
        _enrolments.c.course_id == course_id, _enrolments.c.user_id == user_id,
        _enrolments.c.centre_id.in_(sorted(ids))))


def sees_learner(user: Any, course_id: int, learner_id: int, *roles: str) -> bool:
    """Whether `user`'s centres (for `roles`) include the one through which the learner
    enrolled in the course: one statement, none for the network administrator."""
    ids = staff_centre_ids(user, *roles)
    if ids is None:
        return True
    if not ids:
        return False
    return bool(db.session.scalar(select(learner_in_centres(course_id, learner_id, ids))))


def courses_in_catalogues(ids: frozenset[int] | None) -> Any:
    """The ids of the courses in the catalogues of the centres `ids` (own and offered), as
    a subquery for `Course.id.in_(...)`."""
    if ids is None:
        return select(_courses.c.id)
    chosen = sorted(ids)
    return select(_courses.c.id).where(or_(
        _courses.c.centre_id.in_(chosen),
        _courses.c.id.in_(select(_offers.c.course_id).where(_offers.c.centre_id.in_(chosen)))))


def administers_course(user: Any, course_id: int) -> bool:
    """Whether `user` is the network administrator, or a centre administrator of a centre
    whose catalogue holds the course (its own or offered): at most one statement."""
    ids = staff_centre_ids(user, "centre_admin")
    if ids is None:
        return True
    if not ids:
        return False
    return db.session.scalar(courses_in_catalogues(ids).where(_courses.c.id == course_id)
                             ) is not None


def people_of_centres(ids: frozenset[int] | None) -> Any:
    """The ids of a centre's people, as a subquery for `User.id.in_(...)`: staff holding a
    role there, learners who enrolled through it and the learners of its intakes."""
    chosen = sorted(ids or ())
    return union(
        select(CentreRole.user_id).where(CentreRole.centre_id.in_(chosen)),
        select(_enrolments.c.user_id).where(_enrolments.c.centre_id.in_(chosen)),
        select(_members.c.user_id).join(_intakes, _intakes.c.id == _members.c.intake_id)
        .where(_intakes.c.centre_id.in_(chosen)))
