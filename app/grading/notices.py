"""What grading tells people: a learner that their results were released, and, in a daily
scan, each assessor that essays of their courses have waited longer than
ESSAY_REMINDER_DAYS (a course with no assessor: the administrators, who may grade any)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.auth.models import User, UserRole
from app.content.models import Course, Quiz
from app.core.db import insert_unless_present
from app.core.roles import Role
from app.extensions import db
from app.grading.models import EssayReminder
from app.jobs import periodic
from app.learning.models import CourseStaff
from app.notifications.kinds import KINDS, Audience, Kind
from app.notifications.services import Link, notify
from app.quizzes.models import Attempt

RELEASED = "grading.results_released"
WAITING = "grading.essays_waiting"


def init_notices(app: Flask) -> None:
    KINDS.register(app, RELEASED, Kind(RELEASED, _l("Your results were released"),
                                       Audience.LEARNER))
    KINDS.register(app, WAITING, Kind(WAITING, _l("Essays wait for grading"), Audience.STAFF))


def tell_release(learner: User, attempt: Attempt, quiz: Quiz, now: datetime) -> None:
    course = db.session.get(Course, quiz.course_id)
    notify(learner, RELEASED, template="notifications/results_released",
           context={"quiz_title": quiz.title or quiz.slug,
                    "course_title": course.title if course is not None else ""},
           url=Link.to("quizzes.review", attempt_id=attempt.id), now=now)


def waiting_counts(before: datetime) -> dict[int, tuple[str, int]]:
    """Each course with essays submitted before `before` and still not graded: its title and
    how many. One statement."""
    rows = db.session.execute(
        select(Course.id, Course.title, func.count(Attempt.id))
        .join(Quiz, Quiz.course_id == Course.id).join(Attempt, Attempt.quiz_id == Quiz.id)
        .where(Attempt.state == "awaiting_grading", Attempt.submitted_at <= before)
        .group_by(Course.id, Course.title).order_by(Course.title, Course.id))
    return {row[0]: (row[1], row[2]) for row in rows}


def graders_of(course_ids: list[int]) -> dict[int, list[int]]:
    """Who is told of each course's essays, by person: its assessors, or the administrators
    for a course with none. Two statements."""
    assessed = db.session.execute(
        select(CourseStaff.course_id, CourseStaff.user_id)
        .join(User, User.id == CourseStaff.user_id)
        .where(CourseStaff.course_id.in_(course_ids), CourseStaff.role == "assessor",
               User.active.is_(True))).all()
    admins = db.session.scalars(select(User.id).join(UserRole).where(
        UserRole.role == Role.ADMIN.value, User.active.is_(True))).all()
    by_course: dict[int, set[int]] = defaultdict(set)
    for course_id, user_id in assessed:
        by_course[course_id].add(user_id)
    people: dict[int, list[int]] = defaultdict(list)
    for course_id in course_ids:
        for user_id in sorted(by_course.get(course_id) or admins):
            people[user_id].append(course_id)
    return dict(people)


@periodic("grading.remind_essays", hour="6", minute="0")
def remind_essays(now: datetime) -> int:
    """The daily scan: one notice to each person who grades essays waiting longer than
    ESSAY_REMINDER_DAYS, with the count per course; how many were told.

    Each person's reminder of the day (UTC) is claimed by inserting their `essay_reminders`
    row, which only one worker can win, and committed with its notice before the next
    person's, in the order of their ids: a second run the same day, or a second worker
    running at once, tells nobody again. It commits as it goes, which is why it is not a
    service (as the digest's `send_digests`)."""
    days = int(current_app.config["ESSAY_REMINDER_DAYS"])
    counts = waiting_counts(now - timedelta(days=days))
    people = graders_of(list(counts)) if counts else {}
    db.session.commit()
    told = 0
    for user_id in sorted(people):
        courses = [{"title": counts[c][0], "count": counts[c][1]} for c in people[user_id]]
        told += tell_waiting(user_id, courses, days, now)
        db.session.commit()
    return told


def claim_essay_reminder(user_id: int, day: date, now: datetime) -> bool:
    """Take `day`'s essay reminder of one person for this worker: whether it won it."""
    return insert_unless_present(EssayReminder, user_id=user_id, day=day,
                                 reminded_at=now)


def tell_waiting(user_id: int, courses: list[dict[str, Any]], days: int,
                 now: datetime) -> int:
    """Claim one person's reminder of `now`'s day (UTC) and tell them of the essays waiting
    in `courses` (1); nothing when another run claimed it first (0). The claim comes first,
    so that on SQLite the transaction takes the write lock before it reads."""
    if not claim_essay_reminder(user_id, now.date(), now):
        return 0
    person = db.session.get(User, user_id)
    if person is None:
        return 0
    notify(person, WAITING, template="notifications/essays_waiting",
           context={"courses": courses, "total": sum(c["count"] for c in courses),
                    "days": days},
           url=Link.to("grading.queue", older_than_days=days), now=now)
    return 1
