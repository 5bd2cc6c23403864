"""Shared set-up for the blended-learning features: the GxP course with its staff and two
enrolled learners, and the steps that bring a learner to a given point."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app.auth.models import User
from app.classroom.models import ClassSession
from app.classroom.services import Schedule, schedule_session
from app.content.models import Checklist, Course, Module
from app.core.roles import Role
from app.extensions import db
from app.learning.services import assign_staff, complete_module, enrol

GXP = "gxp-standard-practice"


@dataclass
class Gxp:
    course: Course
    modules: dict[str, Module]
    instructor: User  # Ivan: instructor and assessor of the course
    admin: User
    learners: list[User]
    outsider: User  # Olga: an instructor and assessor of another course

    @property
    def gowning(self) -> Module:
        return self.modules["aseptic-gowning-practical"]

    @property
    def workshop(self) -> Module:
        return self.modules["deviation-workshop"]

    @property
    def checklist(self) -> Checklist:
        found = db.session.scalar(select(Checklist).where(
            Checklist.module_id == self.gowning.id))
        assert found is not None
        return found

    def schedule(self, module: Module, starts_at: datetime, *, capacity: int | None = None,
                 hours: int = 2) -> ClassSession:
        return schedule_session(self.instructor, self.course, Schedule(
            module=module, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours),
            timezone="Asia/Seoul", capacity=capacity, facilitator=self.instructor,
            location="Training cleanroom B"), starts_at - timedelta(days=7))


def set_up_gxp(people: dict[str, User], make_user, clock) -> Gxp:  # type: ignore[no-untyped-def]
    courses = {c.slug: c for c in db.session.scalars(select(Course))}
    course = courses[GXP]
    grace, ivan = people["grace"], people["ivan"]
    assign_staff(grace, course, ivan, "instructor", clock())
    assign_staff(grace, course, ivan, "assessor", clock())
    olga = make_user("olga@example.org", name="Olga Outside",
                     roles=(Role.INSTRUCTOR, Role.ASSESSOR))
    assign_staff(grace, courses["gmp-vaccine-marathon"], olga, "instructor", clock())
    assign_staff(grace, courses["gmp-vaccine-marathon"], olga, "assessor", clock())
    learners = [people["amina"], people["kim"]]
    for learner in learners:
        enrol(learner, course, clock())
    db.session.commit()
    modules = {m.slug: m for m in course.modules}
    return Gxp(course, modules, ivan, grace, learners, olga)


def complete_virtual_parts(gxp: Gxp, learner: User, now: datetime) -> None:
    """Everything but the workshop and the practical, as the learner would have done it."""
    for slug, via in (("why-gxp", "read"), ("good-documentation-practice", "read"),
                      ("validation-basics", "assessment")):
        complete_module(learner, gxp.modules[slug], now, via=via)


def unlock_gowning(gxp: Gxp, learner: User, now: datetime) -> None:
    """The practical's prerequisite read, so that it can be signed off."""
    complete_module(learner, gxp.modules["why-gxp"], now)
