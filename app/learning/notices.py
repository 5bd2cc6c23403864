"""What learning tells people: a learner that their request to join was decided, a course's
instructors (or, for a course with none, the administrators) that a request waits."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User, UserRole
from app.content.models import Course
from app.core.roles import Role
from app.extensions import db
from app.learning.models import CourseStaff, Enrolment
from app.notifications.kinds import KINDS, Audience, Kind
from app.notifications.services import Link, notify, notify_all

DECIDED = "enrolment.decided"
REQUESTED = "enrolment.requested"


def init_notices(app: Flask) -> None:
    KINDS.register(app, DECIDED, Kind(DECIDED, _l("Your request to join a course was decided"),
                                      Audience.LEARNER))
    KINDS.register(app, REQUESTED, Kind(REQUESTED, _l("A learner asks to join your course"),
                                        Audience.STAFF))


def tell_decision(enrolment: Enrolment, *, accepted: bool, now: datetime) -> None:
    learner = db.session.get(User, enrolment.user_id)
    course = db.session.get(Course, enrolment.course_id)
    if learner is None or course is None:
        return
    notify(learner, DECIDED, template="notifications/enrolment_decided",
           context={"accepted": accepted, "course_title": course.title,
                    "reason": enrolment.decision_reason},
           url=Link.to("catalog.course", course_slug=course.slug), now=now)


def tell_request(learner: User, course: Course, now: datetime) -> None:
    staff = db.session.scalars(select(User).join(CourseStaff, CourseStaff.user_id == User.id)
                               .where(CourseStaff.course_id == course.id,
                                      CourseStaff.role == "instructor",
                                      User.active.is_(True)).order_by(User.id)).all()
    if not staff:
        staff = db.session.scalars(select(User).join(UserRole).where(
            UserRole.role == Role.ADMIN.value, User.active.is_(True)).order_by(User.id)).all()
    notify_all(staff, REQUESTED, template="notifications/enrolment_requested",
               context={"learner_name": learner.name, "course_title": course.title},
               url=Link.to("learning.course_roster", course_slug=course.slug), now=now)
