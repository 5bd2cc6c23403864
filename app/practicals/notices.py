"""What practicals tell people: a learner that their sign-off was recorded, a course's
assessors that a learner asks to be assessed."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.content.models import Checklist, Course
from app.extensions import db
from app.learning.models import CourseStaff
from app.notifications.kinds import KINDS, Audience, Kind
from app.notifications.services import Link, notify, notify_all

RECORDED = "practicals.signoff_recorded"
REQUESTED = "practicals.signoff_requested"


def init_notices(app: Flask) -> None:
    KINDS.register(app, RECORDED, Kind(RECORDED, _l("A sign-off of yours was recorded"),
                                       Audience.LEARNER))
    KINDS.register(app, REQUESTED, Kind(REQUESTED, _l("A learner asks for a sign-off"),
                                        Audience.STAFF))


def _course_slug(checklist: Checklist) -> str:
    course = db.session.get(Course, checklist.course_id)
    return course.slug if course is not None else ""


def tell_signoff(learner: User, assessor: User, checklist: Checklist, *, competent: bool,
                 now: datetime) -> None:
    notify(learner, RECORDED, template="notifications/signoff_recorded",
           context={"assessor_name": assessor.name, "competent": competent,
                    "checklist_title": checklist.title or checklist.slug},
           url=Link.to("practicals.mine", course_slug=_course_slug(checklist),
                       checklist_slug=checklist.slug), now=now)


def tell_request(learner: User, checklist: Checklist, now: datetime) -> None:
    course = db.session.get(Course, checklist.course_id)
    assessors = db.session.scalars(select(User).join(CourseStaff, CourseStaff.user_id == User.id)
                                   .where(CourseStaff.course_id == checklist.course_id,
                                          CourseStaff.role == "assessor",
                                          User.active.is_(True)).order_by(User.id)).all()
    notify_all(assessors, REQUESTED, template="notifications/signoff_requested",
               context={"learner_name": learner.name,
                        "checklist_title": checklist.title or checklist.slug,
                        "course_title": course.title if course is not None else ""},
               url=Link.to("practicals.requests_page"), now=now)
