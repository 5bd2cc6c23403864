"""What each centre's catalogue holds: its own courses and the shared courses of other
centres that it offers (shared, not copied).

The owner centre's administrator shares a course with the network (`courses.network_shared`);
another centre's administrator offers a shared course in their catalogue (a `CentreCourse`
row) or withdraws it. The network administrator may do both anywhere. Content's and
learning's tables are named, not imported: they import centres, never the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, column, or_, select, table, update

from app.centres import rules
from app.centres.models import Centre, CentreCourse, CentreRole
from app.centres.scope import courses_in_catalogues, may_staff_centre
from app.centres.services import ensure_hub
from app.core.auth import authorize
from app.core.errors import DomainError, NotFound
from app.extensions import db
from app.records.services import record_event

_courses = table("courses", column("id"), column("slug"), column("title"),
                 column("centre_id"), column("network_shared"))


def may_manage_catalogue(actor: Any, centre: Centre) -> bool:
    """The network administrator at any centre; a centre administrator at their own."""
    return may_staff_centre(actor, centre.id, "centre_admin")


@dataclass(frozen=True)
class CatalogueCourse:
    """A course as a centre's catalogue page lists it."""

    id: int
    slug: str
    title: str
    owner_code: str
    owner_name: str
    network_shared: bool
    offered: bool  # offered here, owned elsewhere

    def owned_by(self, centre: Centre) -> bool:
        return self.owner_code == centre.code


def catalogue_courses(centre: Centre) -> list[CatalogueCourse]:
    """The centre's own courses, the shared courses it offers, and the shared courses it
    could offer: one statement."""
    owner = Centre.__table__.alias("owner")
    offer = CentreCourse.__table__.alias("offer")
    rows = db.session.execute(
        select(_courses.c.id, _courses.c.slug, _courses.c.title, _courses.c.network_shared,
               owner.c.code, owner.c.name, offer.c.course_id.label("offered"))
        .join(owner, owner.c.id == _courses.c.centre_id)
        .outerjoin(offer, and_(offer.c.course_id == _courses.c.id,
                               offer.c.centre_id == centre.id))
        .where(or_(_courses.c.centre_id == centre.id, _courses.c.network_shared.is_(True),
                   offer.c.course_id.is_not(None)))
        .order_by(_courses.c.title, _courses.c.slug))
    return [CatalogueCourse(row.id, row.slug, row.title, row.code, row.name,
                            bool(row.network_shared), row.offered is not None)
            for row in rows]


def in_catalogue(centre_id: int, course_id: int) -> bool:
    """Whether the course is in the centre's catalogue (its own or offered): one statement."""
    return db.session.scalar(courses_in_catalogues(frozenset({centre_id}))
                             .where(column("id") == course_id)) is not None


def catalogue_centre(code: str, course_id: int) -> Centre | None:
    """The centre of code `code` when the course is in its active catalogue; None when no
    code is given. Raises DomainError when the centre is unknown, inactive or does not
    offer the course (any more)."""
    code = code.strip()
    if not code:
        return None
    centre = db.session.scalars(select(Centre).where(Centre.code == code)).first()
    if centre is None or not centre.active or not in_catalogue(centre.id, course_id):
        raise DomainError(_l("This centre does not offer the course (any more)."))
    return centre


def _course(course_id: int) -> Any:
    row = db.session.execute(select(_courses).where(_courses.c.id == course_id)).first()
    if row is None:
        raise NotFound(_l("No such course."))
    return row


def _forget_shared(course_id: int) -> None:
    """A Core update leaves loaded Course objects as they were: read the flag again."""
    for obj in list(db.session.identity_map.values()):
        if getattr(obj, "__tablename__", None) == "courses" and getattr(obj, "id", None) \
                == course_id:
            db.session.expire(obj, ["network_shared"])


def share_course(actor: Any, course_id: int, shared: bool, now: datetime) -> bool:
    """Share the course with the network, or stop (which withdraws it from every other
    centre's catalogue; enrolments stay). Whether anything changed."""
    course = _course(course_id)
    owner = db.session.get(Centre, course.centre_id)
    authorize(actor, "centre.manage_catalogue", owner)
    if bool(course.network_shared) == shared:
        return False
    db.session.execute(update(_courses).where(_courses.c.id == course_id)
                       .values(network_shared=shared))
    _forget_shared(course_id)
    record_event("course.shared" if shared else "course.unshared", actor=actor, now=now,
                 subject_type="course", subject_id=course_id, course_id=course_id,
                 details={"course": course.slug, "centre": owner.code if owner else None})
    if not shared:
        for offer in db.session.scalars(select(CentreCourse).where(
                CentreCourse.course_id == course_id)):
            _withdraw(actor, offer, now, why="no longer shared")
    db.session.flush()
    return True


def offer_course(actor: Any, centre: Centre, course_id: int, now: datetime) -> bool:
    """Offer another centre's shared course in this centre's catalogue; False when it is
    offered already."""
    authorize(actor, "centre.manage_catalogue", centre)
    course = _course(course_id)
    if course.centre_id == centre.id:
        raise DomainError(_l("This course is the centre's own: it is in its catalogue "
                             "already."))
    if not course.network_shared:
        raise DomainError(_l("Its centre does not share this course with the network."))
    if db.session.get(CentreCourse, (centre.id, course_id)) is not None:
        return False
    db.session.add(CentreCourse(centre_id=centre.id, course_id=course_id, offered_at=now,
                                offered_by_id=getattr(actor, "id", None)))
    db.session.flush()
    record_event("centre.course_offered", actor=actor, now=now, subject_type="centre",
                 subject_id=centre.id, course_id=course_id,
                 details={"centre": centre.code, "course": course.slug})
    return True


def withdraw_course(actor: Any, centre: Centre, course_id: int, now: datetime) -> bool:
    """Take an offered course out of the centre's catalogue; its enrolments stay."""
    authorize(actor, "centre.manage_catalogue", centre)
    offer = db.session.get(CentreCourse, (centre.id, course_id))
    if offer is None:
        return False
    _withdraw(actor, offer, now)
    db.session.flush()
    return True


def _withdraw(actor: Any, offer: CentreCourse, now: datetime, why: str = "") -> None:
    centre = db.session.get(Centre, offer.centre_id)
    details: dict[str, Any] = {"centre": centre.code if centre else None}
    if why:
        details["why"] = why
    db.session.delete(offer)
    record_event("centre.course_withdrawn", actor=actor, now=now, subject_type="centre",
                 subject_id=offer.centre_id, course_id=offer.course_id, details=details)


def authored_course_centre(author: Any, now: datetime) -> int:
    """The centre a course created in the browser belongs to (rules.course_owner): two
    statements at most."""
    held = [(row.centre_id, bool(row.is_hub)) for row in db.session.execute(
        select(CentreRole.centre_id, Centre.is_hub)
        .join(Centre, Centre.id == CentreRole.centre_id)
        .where(CentreRole.user_id == author.id, CentreRole.role == "instructor",
               Centre.active.is_(True))
        .order_by(CentreRole.assigned_at, CentreRole.centre_id))] if author else []
    hub = next((centre for centre, is_hub in held if is_hub), None)
    return rules.course_owner(held, hub if hub is not None else ensure_hub(now).id)
