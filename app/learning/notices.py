"""What learning tells people: a learner that their request to join was decided, a course's
instructors (or, for a course with none, the administrators) that a request waits, and, in
a daily scan, a learner that a module they completed changed and needs retraining."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import User, UserRole
from app.content.models import Course, Module
from app.core.roles import Role
from app.extensions import db
from app.jobs import periodic
from app.learning.models import CourseStaff, Enrolment, ModuleProgress, RetrainingNotice
from app.notifications.kinds import KINDS, Audience, Kind
from app.notifications.services import Link, notify, notify_all

DECIDED = "enrolment.decided"
REQUESTED = "enrolment.requested"
RETRAINING = "learning.retraining_due"


def init_notices(app: Flask) -> None:
    KINDS.register(app, DECIDED, Kind(DECIDED, _l("Your request to join a course was decided"),
                                      Audience.LEARNER))
    KINDS.register(app, REQUESTED, Kind(REQUESTED, _l("A learner asks to join your course"),
                                        Audience.STAFF))
    KINDS.register(app, RETRAINING, Kind(RETRAINING, _l("A module you completed needs retraining"),
                                         Audience.LEARNER))


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


def retraining_due() -> list[tuple[int, int, int]]:
    """(learner, module, version) of every completion that now shows "retraining due" (an
    earlier version completed, the state `rules.module_state` gives) and was not told yet:
    live modules, active enrolments, active accounts. One statement."""
    told = exists().where(RetrainingNotice.user_id == ModuleProgress.user_id,
                          RetrainingNotice.module_id == ModuleProgress.module_id,
                          RetrainingNotice.version == Module.version)
    rows = db.session.execute(
        select(ModuleProgress.user_id, Module.id, Module.version)
        .join(Module, Module.id == ModuleProgress.module_id)
        .join(Enrolment, (Enrolment.course_id == Module.course_id)
              & (Enrolment.user_id == ModuleProgress.user_id))
        .join(User, User.id == ModuleProgress.user_id)
        .where(ModuleProgress.completed_version.is_not(None),
               ModuleProgress.completed_version < Module.version,
               Module.archived_at.is_(None), Enrolment.status == "active",
               User.active.is_(True), ~told)
        .order_by(ModuleProgress.user_id, Module.id))
    return [(row[0], row[1], row[2]) for row in rows]


@periodic("learning.notify_retraining", hour="5", minute="30")
def notify_retraining(now: datetime) -> int:
    """The daily scan: tell each learner once per module version that a module they
    completed changed; how many were told. Each notice is committed with the row that
    records it, before the next: a second worker's insert of the same row fails (on
    PostgreSQL after waiting for the first's commit) and it tells nothing."""
    due = retraining_due()
    db.session.commit()
    told = 0
    for user_id, module_id, version in due:
        try:
            told += tell_retraining(user_id, module_id, version, now)
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # another worker told it first
    return told


def tell_retraining(user_id: int, module_id: int, version: int, now: datetime) -> int:
    """Record and tell one learner that `version` of a module needs retraining (1)."""
    db.session.add(RetrainingNotice(user_id=user_id, module_id=module_id, version=version,
                                    notified_at=now))
    db.session.flush()
    learner = db.session.get(User, user_id)
    module = db.session.get(Module, module_id)
    course = db.session.get(Course, module.course_id) if module is not None else None
    if learner is None or module is None or course is None:
        return 0
    notify(learner, RETRAINING, template="notifications/retraining_due",
           context={"module_title": module.title, "course_title": course.title},
           url=Link.to("learning.module", course_slug=course.slug, module_slug=module.slug),
           now=now)
    return 1
