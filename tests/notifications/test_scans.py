"""The daily scans: retraining due (once per learner and module version) and essays that
waited too long (one notice per grader per day, the count per course)."""

from __future__ import annotations

import email
import email.policy
from datetime import date, timedelta
from typing import cast

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.content.importer import import_courses
from app.content.loader import load_courses
from app.content.models import Course, Module, Quiz
from app.core.roles import Role
from app.extensions import db
from app.grading.models import EssayReminder
from app.grading.notices import claim_essay_reminder, remind_essays, tell_waiting
from app.jobs import JOBS
from app.learning.models import RetrainingNotice
from app.learning.notices import notify_retraining, retraining_due, tell_retraining
from app.learning.services import assign_staff, complete_module, enrol, withdraw
from app.mail.models import OutboxMessage
from app.notifications.models import Notification
from app.quizzes.services import save_answers, start_attempt, submit_attempt
from tests.conftest import choice_token
from tests.course_files import ESSAY_QUIZ, module_md
from tests.parallel import in_parallel

RETRAINING = "learning.retraining_due"
WAITING = "grading.essays_waiting"


def _entries(user: User, kind: str) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.kind == kind).order_by(Notification.id)))


def _mails(user: User, kind: str) -> list[email.message.EmailMessage]:
    rows = db.session.scalars(select(OutboxMessage.message).where(
        OutboxMessage.user_id == user.id, OutboxMessage.kind == kind).order_by(OutboxMessage.id))
    return [email.message_from_bytes(row, policy=email.policy.default) for row in rows]


def _text(message: email.message.EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def test_both_scans_are_registered_jobs(app) -> None:
    jobs = JOBS.entries(app)
    assert jobs[notify_retraining.name] is notify_retraining
    assert jobs[remind_essays.name] is remind_essays
    assert notify_retraining.schedule is not None and remind_essays.schedule is not None


# --- retraining due ---------------------------------------------------------------------------

def _import(write_course, clock, version: int, days: int = 0) -> None:
    folder = write_course({"01-a.md": module_md("A" if version == 1 else f"A, v{version}",
                                                version=version),
                           "02-b.md": module_md("B")})
    courses, _ = load_courses([folder])
    import_courses(courses, now=clock.advance(days=days))
    db.session.commit()


def _module(slug: str) -> Module:
    return db.session.scalars(select(Module).where(Module.slug == slug)).one()


def test_retraining_due_is_told_once_per_module_version(app, people, clock,
                                                         write_course) -> None:
    amina, kim, olu = people["amina"], people["kim"], people["olu"]
    _import(write_course, clock, 1)
    course = _module("a").course_id
    found = db.session.get(Course, course)
    assert found is not None
    enrolments = {learner.id: enrol(learner, found, clock()) for learner in (amina, kim, olu)}
    complete_module(amina, _module("a"), clock())
    complete_module(amina, _module("b"), clock())
    complete_module(olu, _module("a"), clock())
    db.session.commit()
    withdraw(olu, enrolments[olu.id], clock())  # withdrawn: not told
    kim.language = "fr"
    complete_module(kim, _module("a"), clock())
    db.session.commit()
    assert notify_retraining(clock()) == 0  # nothing changed yet

    _import(write_course, clock, 2, days=30)
    assert sorted(row[0] for row in retraining_due()) == [amina.id, kim.id]
    assert notify_retraining(clock()) == 2
    [entry] = _entries(amina, RETRAINING)
    assert entry.subject == "Retraining due: A, v2 changed"
    assert entry.url == f"/learning/{found.slug}/modules/a"
    assert "changed since you completed it" in entry.summary and found.title in entry.summary
    [message] = _mails(amina, RETRAINING)
    assert message["To"] == amina.email and message["Content-Language"] == "en"
    assert "http://localhost" + entry.url in _text(message)
    [french] = _mails(kim, RETRAINING)
    assert french["Content-Language"] == "fr"
    [entry_fr] = _entries(kim, RETRAINING)
    assert entry_fr.subject.split() == ["Requalification", "requise", ":", "A,", "v2", "a",
                                        "changé"]
    assert _entries(olu, RETRAINING) == [] and _entries(amina, RETRAINING)[0].kind == RETRAINING

    # The next days: told already.
    assert notify_retraining(clock.advance(days=1)) == 0
    assert len(_entries(amina, RETRAINING)) == 1
    # Retrained, then a new version: told again, for that version.
    complete_module(amina, _module("a"), clock())
    db.session.commit()
    _import(write_course, clock, 3, days=30)
    assert notify_retraining(clock()) == 2
    assert len(_entries(amina, RETRAINING)) == 2
    versions = db.session.scalars(select(RetrainingNotice.version).where(
        RetrainingNotice.user_id == amina.id).order_by(RetrainingNotice.version)).all()
    assert versions == [2, 3]


def test_a_rolled_back_retraining_notice_leaves_nothing_and_is_told_later(
        app, people, clock, write_course) -> None:
    amina = people["amina"]
    _import(write_course, clock, 1)
    found = db.session.scalars(select(Course)).one()
    enrol(amina, found, clock())
    complete_module(amina, _module("a"), clock())
    db.session.commit()
    _import(write_course, clock, 2, days=30)
    module = _module("a")
    assert tell_retraining(amina.id, module.id, module.version, clock()) == 1
    db.session.rollback()
    assert _entries(amina, RETRAINING) == [] and _mails(amina, RETRAINING) == []
    assert db.session.scalar(select(func.count()).select_from(RetrainingNotice)) == 0
    assert notify_retraining(clock()) == 1


# --- essays waiting ---------------------------------------------------------------------------

@pytest.fixture
def essays(app, clock, import_files, people, make_user):
    """Two essays of Amina and Kim submitted now, in a course Ivan assesses."""
    course = import_files({"01-report.md": module_md("Report", body=ESSAY_QUIZ)})
    assign_staff(people["grace"], course, people["ivan"], "assessor", clock())
    quiz = db.session.scalars(select(Quiz)).one()
    for learner in (people["amina"], people["kim"]):
        enrol(learner, course, clock())
        attempt = start_attempt(learner, quiz, clock())
        save_answers(learner, attempt, {"1": [choice_token(attempt, "1", 0)],
                                        "2": ["I tell QA."]}, 1, clock())
        submit_attempt(learner, attempt, clock())
    db.session.commit()
    return course


def test_assessors_hear_once_a_day_of_essays_waiting_too_long(essays, people, clock) -> None:
    ivan, olu, grace = people["ivan"], people["olu"], people["grace"]
    assert remind_essays(clock() + timedelta(days=2)) == 0  # not yet 3 days
    later = clock.advance(days=3, hours=1)
    assert remind_essays(later) == 1
    db.session.commit()
    [entry] = _entries(ivan, WAITING)
    assert entry.subject == "2 essays wait for grading"
    assert entry.summary == "2 essays have waited more than 3 days for grading."
    assert entry.url == "/grading/?older_than_days=3"
    [message] = _mails(ivan, WAITING)
    assert message["To"] == ivan.email and message["Subject"] == entry.subject
    assert f"{essays.title}: 2 essays" in _text(message)
    # The course has an assessor: the administrators and other instructors are not told.
    assert _entries(grace, WAITING) == [] and _entries(olu, WAITING) == []
    assert remind_essays(later + timedelta(hours=3)) == 0  # once a day
    assert remind_essays(later + timedelta(days=1)) == 1  # the next day, still waiting
    db.session.commit()
    assert len(_entries(ivan, WAITING)) == 2


def test_a_course_without_assessor_reminds_the_administrators(app, clock, import_files,
                                                              people) -> None:
    course = import_files({"01-report.md": module_md("Report", body=ESSAY_QUIZ)})
    quiz = db.session.scalars(select(Quiz)).one()
    amina = people["amina"]
    enrol(amina, course, clock())
    attempt = start_attempt(amina, quiz, clock())
    save_answers(amina, attempt, {"1": [choice_token(attempt, "1", 0)], "2": ["QA."]}, 1,
                 clock())
    submit_attempt(amina, attempt, clock())
    people["grace"].language = "ko"
    db.session.commit()
    assert remind_essays(clock.advance(days=4)) == 1
    [entry] = _entries(people["grace"], WAITING)
    [message] = _mails(people["grace"], WAITING)
    assert message["Content-Language"] == "ko" and entry.url == "/grading/?older_than_days=3"
    assert _entries(people["ivan"], WAITING) == []


def test_a_rolled_back_essay_reminder_leaves_nothing_and_is_told_later(essays, people,
                                                                        clock) -> None:
    ivan = people["ivan"]
    later = clock.advance(days=4)
    courses = [{"title": essays.title, "count": 2}]
    assert tell_waiting(ivan.id, courses, 3, later) == 1
    db.session.rollback()
    assert _entries(ivan, WAITING) == [] and _mails(ivan, WAITING) == []
    assert db.session.scalar(select(func.count()).select_from(EssayReminder)) == 0
    assert remind_essays(later) == 1
    assert db.session.scalars(select(EssayReminder.day)).all() == [later.date()]


def test_a_grader_day_is_claimed_by_one_worker_only(app, people, clock) -> None:
    ivan = people["ivan"]
    assert claim_essay_reminder(ivan.id, date(2026, 3, 5), clock())
    assert not claim_essay_reminder(ivan.id, date(2026, 3, 5), clock())
    assert claim_essay_reminder(ivan.id, date(2026, 3, 6), clock())
    assert claim_essay_reminder(people["grace"].id, date(2026, 3, 5), clock())
    db.session.commit()
    assert not claim_essay_reminder(ivan.id, date(2026, 3, 6), clock())  # as committed
    db.session.rollback()


def test_two_workers_at_once_remind_each_grader_once(app, essays, people, make_user,
                                                     clock) -> None:
    graders = [people["ivan"], *(make_user(f"assessor{n}@example.org",
                                           roles=(Role.ASSESSOR,)) for n in range(5))]
    for grader in graders[1:]:
        assign_staff(people["grace"], essays, grader, "assessor", clock())
    db.session.commit()
    later = clock.advance(days=3, hours=1)
    told = in_parallel(app, lambda: cast(int, remind_essays(later)))
    assert sum(told) == len(graders)
    db.session.commit()  # read what the workers committed
    for grader in graders:
        assert len(_entries(grader, WAITING)) == 1, grader.email
        assert len(_mails(grader, WAITING)) == 1, grader.email
    assert _entries(people["grace"], WAITING) == []


def test_the_reminder_waits_as_long_as_essay_reminder_days(app, essays, people,
                                                            clock) -> None:
    assert app.config["ESSAY_REMINDER_DAYS"] == 3
    app.config["ESSAY_REMINDER_DAYS"] = 7
    assert remind_essays(clock() + timedelta(days=6)) == 0
    assert remind_essays(clock() + timedelta(days=7)) == 1
    [entry] = _entries(people["ivan"], WAITING)
    assert entry.summary == "2 essays have waited more than 7 days for grading."
