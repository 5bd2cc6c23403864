"""What grading tells people: a learner that their results were released."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.content.models import Course, Quiz
from app.extensions import db
from app.notifications.kinds import KINDS, Audience, Kind
from app.notifications.services import Link, notify
from app.quizzes.models import Attempt

RELEASED = "grading.results_released"


def init_notices(app: Flask) -> None:
    KINDS.register(app, RELEASED, Kind(RELEASED, _l("Your results were released"),
                                       Audience.LEARNER))


def tell_release(learner: User, attempt: Attempt, quiz: Quiz, now: datetime) -> None:
    course = db.session.get(Course, quiz.course_id)
    notify(learner, RELEASED, template="notifications/results_released",
           context={"quiz_title": quiz.title or quiz.slug,
                    "course_title": course.title if course is not None else ""},
           url=Link.to("quizzes.review", attempt_id=attempt.id), now=now)
