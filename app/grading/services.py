"""Grading essays against their rubric; the attempt's final score follows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, case, literal, select

from app.auth.models import User
from app.centres.scope import learner_in_centres, sees_learner, staff_centre_ids
from app.content.models import Course, Question, Quiz
from app.content.versions import translate_question
from app.core.auth import authorize
from app.core.errors import DomainError, ValidationError
from app.core.roles import Role
from app.extensions import db
from app.grading import notices
from app.grading.models import QuestionGrade
from app.learning.models import CourseStaff
from app.quizzes.models import Attempt
from app.quizzes.papers import version_texts
from app.quizzes.rules import passed, score_attempt
from app.quizzes.services import (
    answers_locale,
    complete_assessed_module,
    latest_answers,
)
from app.records.models import Signature
from app.records.services import record_event
from app.records.signatures import Refused, sign


def _assessed_course_ids(user: User) -> Select[int]:
    return select(CourseStaff.course_id).where(CourseStaff.user_id == user.id,
                                              CourseStaff.role == "assessor")


def may_grade(actor: User, attempt: Attempt) -> bool:
    """Admins, and assessors assigned to the attempt's course."""
    if actor.has_role(Role.ADMIN):
        return True
    quiz = db.session.get(Quiz, attempt.quiz_id)
    return quiz is not None and db.session.scalar(
        _assessed_course_ids(actor).where(CourseStaff.course_id == quiz.course_id)
    ) is not None and sees_learner(actor, quiz.course_id, attempt.user_id)


@dataclass(frozen=True)
class QueueItem:
    attempt: Attempt
    quiz: Quiz
    course: Course
    learner: User


def _queue_items(statement: Select[Attempt, Quiz, Course, User]) -> list[QueueItem]:
    return [QueueItem(row.Attempt, row.Quiz, row.Course, row.User)
            for row in db.session.execute(statement)]


def grading_queue(assessor: User, *, course_id: int | None = None,
                  quiz_id: int | None = None, older_than_days: int | None = None,
                  now: datetime) -> list[QueueItem]:
    """Attempts waiting for a person, oldest first, in the courses the assessor grades."""
    statement = (
        select(Attempt, Quiz, Course, User)
        .join(Quiz, Quiz.id == Attempt.quiz_id).join(Course, Course.id == Quiz.course_id)
        .join(User, User.id == Attempt.user_id)
        .where(Attempt.state == "awaiting_grading").order_by(Attempt.submitted_at, Attempt.id))
    if not assessor.has_role(Role.ADMIN):
        statement = statement.where(Course.id.in_(_assessed_course_ids(assessor)),
                                    learner_in_centres(Quiz.course_id, Attempt.user_id,
                                                       staff_centre_ids(assessor)))
    if course_id is not None:
        statement = statement.where(Course.id == course_id)
    if quiz_id is not None:
        statement = statement.where(Quiz.id == quiz_id)
    if older_than_days:
        statement = statement.where(Attempt.submitted_at <= now - timedelta(
            days=older_than_days))
    return _queue_items(statement)


def next_to_grade(assessor: User, after: Attempt) -> int | None:
    """The attempt that follows `after` in the assessor's queue order (oldest submission
    first), or the queue's first when `after` was its last; None when nothing waits. One
    statement."""
    statement = (select(Attempt.id).join(Quiz, Quiz.id == Attempt.quiz_id)
                 .where(Attempt.state == "awaiting_grading", Attempt.id != after.id))
    if not assessor.has_role(Role.ADMIN):
        statement = statement.where(Quiz.course_id.in_(_assessed_course_ids(assessor)),
                                    learner_in_centres(Quiz.course_id, Attempt.user_id,
                                                       staff_centre_ids(assessor)))
    later = ((Attempt.submitted_at > after.submitted_at)
             | ((Attempt.submitted_at == after.submitted_at) & (Attempt.id > after.id)))
    # The ones after it first, then from the top: one ordered read, never two.
    first = case((later, 0), else_=1) if after.submitted_at is not None else literal(0)
    return db.session.scalar(statement.order_by(first, Attempt.submitted_at, Attempt.id)
                             .limit(1))


def latest_grades(attempt: Attempt) -> dict[str, QuestionGrade]:
    grades: dict[str, QuestionGrade] = {}
    for grade in db.session.scalars(select(QuestionGrade).where(
            QuestionGrade.attempt_id == attempt.id).order_by(QuestionGrade.id)):
        grades[grade.question_key] = grade
    return grades


def essay_items(attempt: Attempt) -> list[dict[str, Any]]:
    return [item for item in attempt.snapshot if item["kind"] == "essay"]


@dataclass(frozen=True)
class EssayGrade:
    criteria_points: list[float]
    criteria_comments: list[str]
    comment: str = ""


def _points_for(item: dict[str, Any], given: EssayGrade) -> float:
    rubric = item["data"].get("rubric", [])
    if len(given.criteria_points) != len(rubric):
        raise ValidationError(_("Give points for every criterion."), field="criteria")
    for points, criterion in zip(given.criteria_points, rubric, strict=True):
        if not 0 <= points <= criterion["points"]:
            raise ValidationError(_("Points for a criterion must be between 0 and %(top)s.",
                                    top=f"{criterion['points']:g}"), field="criteria")
    total = sum(c["points"] for c in rubric)
    earned = sum(given.criteria_points)
    # The rubric's scale is mapped onto the question's points (they are equal by default).
    return round(item["points"] * earned / total, 4) if total else 0.0


def grade_attempt(actor: User, attempt: Attempt, grades: dict[str, EssayGrade],
                  now: datetime) -> None:
    """Grade the attempt's essays; the attempt gets its final score, pass state and, when it
    passes an assessment, completes the module. Every grade is an event with its old value."""
    authorize(actor, "attempt.grade", attempt)
    if attempt.state not in ("awaiting_grading", "graded"):
        raise DomainError(_("Only submitted attempts can be graded."))
    quiz = db.session.get(Quiz, attempt.quiz_id)
    assert quiz is not None
    previous = latest_grades(attempt)
    for item in essay_items(attempt):
        given = grades.get(item["key"])
        if given is None:
            raise ValidationError(_("Grade every written answer."), field="criteria")
        points = _points_for(item, given)
        old = previous.get(item["key"])
        db.session.add(QuestionGrade(
            attempt_id=attempt.id, question_key=item["key"], points=points,
            criteria=[{"points": p, "comment": c.strip()}
                      for p, c in zip(given.criteria_points, given.criteria_comments,
                                      strict=True)],
            comment=given.comment.strip(), graded_by_id=actor.id, graded_at=now))
        record_event("grade.changed", actor=actor, now=now, subject_type="attempt",
                     subject_id=attempt.id, course_id=quiz.course_id,
                     learner_id=attempt.user_id, details={
                         "quiz": quiz.slug, "question": item["key"],
                         "points": {"old": old.points if old else None, "new": points}})
    db.session.flush()
    _finalize(actor, attempt, quiz, now)


def final_score(attempt: Attempt) -> float:
    """Automatic points plus the latest grade of each essay."""
    result = score_attempt(attempt.snapshot, latest_answers(attempt), answers_locale(attempt))
    grades = latest_grades(attempt)
    return round(sum(grades[key].points if key in grades else score.points
                     for key, score in result.per_question.items()), 4)


def _finalize(actor: User, attempt: Attempt, quiz: Quiz, now: datetime) -> None:
    score = final_score(attempt)
    percent = round(100 * score / attempt.max_score, 2) if attempt.max_score else 100.0
    was_passed = attempt.passed
    attempt.score, attempt.percent = score, percent
    attempt.passed = passed(percent, quiz.pass_mark)
    attempt.state, attempt.graded_at = "graded", now
    attempt.released_at = None  # a new or changed grade waits for a signed release
    record_event("attempt.graded", actor=actor, now=now,
                 subject_type="attempt", subject_id=attempt.id, course_id=quiz.course_id,
                 learner_id=attempt.user_id, details={
                     "quiz": quiz.slug, "attempt": attempt.number, "score": score,
                     "percent": percent, "passed": {"old": was_passed,
                                                    "new": attempt.passed}})


# Stored with the signature in English, as signed; records/meanings.py shows it translated.
RELEASE_MEANING = "Grades released: reviewed and approved for the learners"


def awaiting_release(assessor: User) -> list[QueueItem]:
    """Graded attempts whose result the learners cannot see yet, in the assessor's courses."""
    statement = (
        select(Attempt, Quiz, Course, User)
        .join(Quiz, Quiz.id == Attempt.quiz_id).join(Course, Course.id == Quiz.course_id)
        .join(User, User.id == Attempt.user_id)
        .where(Attempt.state == "graded", Attempt.released_at.is_(None))
        .order_by(Attempt.graded_at))
    if not assessor.has_role(Role.ADMIN):
        statement = statement.where(Course.id.in_(_assessed_course_ids(assessor)),
                                    learner_in_centres(Quiz.course_id, Attempt.user_id,
                                                       staff_centre_ids(assessor)))
    return _queue_items(statement)


def release_grades(actor: User, attempts: list[Attempt], *, password: str,
                   now: datetime) -> Signature | Refused:
    """Release a batch of grades to the learners under one electronic signature; a refused
    signature is recorded and returned, and nothing is released."""
    if not attempts:
        raise ValidationError(_("Choose the grades to release."), field="attempts")
    for attempt in attempts:
        authorize(actor, "attempt.grade", attempt)
        if attempt.state != "graded" or attempt.released_at is not None:
            raise DomainError(_("Only graded attempts that are not yet released can be "
                                "released."))
    content = [{"attempt": a.id, "score": a.score, "percent": a.percent, "passed": a.passed}
               for a in attempts]
    signature = sign(actor, password=password, meaning=RELEASE_MEANING,
                     subject_type="grade_release", subject_id=attempts[0].id, content=content,
                     now=now)
    if isinstance(signature, Refused):
        return signature
    for attempt in attempts:
        quiz = db.session.get(Quiz, attempt.quiz_id)
        learner = db.session.get(User, attempt.user_id)
        assert quiz is not None and learner is not None
        attempt.released_at = now
        record_event("grade.released", actor=actor, now=now, subject_type="attempt",
                     subject_id=attempt.id, course_id=quiz.course_id,
                     learner_id=attempt.user_id, details={
                         "quiz": quiz.slug, "attempt": attempt.number,
                         "percent": attempt.percent, "passed": attempt.passed,
                         "signature": signature.id})
        notices.tell_release(learner, attempt, quiz, now)
        if attempt.passed and quiz.is_assessment:
            complete_assessed_module(learner, quiz, now)
    return signature


@dataclass(frozen=True)
class RegradeSummary:
    attempts: int
    changed: int


def _regraded(item: dict[str, Any], current: dict[str, Question], own_language: bool,
              texts: dict[str, dict[str, Any]] | None) -> dict[str, Any]:
    """A snapshot item with the question's answer key as imported now: in the attempt's
    language version (its texts and its short answers). An item whose question changed
    type, or whose version is gone, stays as it was."""
    question = current.get(item["key"])
    if question is None or question.kind != item["kind"] or (not own_language and texts is None):
        return item
    _prompt, data = translate_question(question.prompt_html, question.answer_data,
                                       (texts or {}).get(item["key"]))
    return {**item, "data": data}


def regrade_quiz(actor: User, quiz: Quiz, now: datetime) -> RegradeSummary:
    """Score the quiz's finished attempts again with the answer keys as imported now (an
    instructor fixed a key). Essay grades stay. Each changed score is an event with the old
    and the new value, so both are kept; unchanged attempts are left as they are."""
    course = db.session.get(Course, quiz.course_id)
    authorize(actor, "course.manage", course)
    current = {q.key: q for q in db.session.scalars(
        select(Question).where(Question.quiz_id == quiz.id))}
    attempts = db.session.scalars(select(Attempt).where(
        Attempt.quiz_id == quiz.id, Attempt.state.in_(("graded", "awaiting_grading")))).all()
    changed = 0
    versions: dict[str, dict[str, dict[str, Any]] | None] = {}
    assert course is not None
    for attempt in attempts:
        if attempt.language != course.language and attempt.language not in versions:
            versions[attempt.language] = version_texts(quiz, attempt.language)
        snapshot = [_regraded(item, current, attempt.language == course.language,
                              versions.get(attempt.language))
                    for item in attempt.snapshot]
        if snapshot == attempt.snapshot:
            continue
        old = (attempt.score, attempt.percent, attempt.passed)
        attempt.snapshot = snapshot
        if attempt.state == "graded":
            score = final_score(attempt)
            attempt.score = score
            attempt.percent = round(100 * score / attempt.max_score, 2) if attempt.max_score \
                else 100.0
            attempt.passed = passed(attempt.percent, quiz.pass_mark)
        if (attempt.score, attempt.percent, attempt.passed) == old:
            continue
        changed += 1
        record_event("grade.changed", actor=actor, now=now, subject_type="attempt",
                     subject_id=attempt.id, course_id=quiz.course_id,
                     learner_id=attempt.user_id, reason="regrade after an answer key change",
                     details={"quiz": quiz.slug, "attempt": attempt.number,
                              "score": {"old": old[0], "new": attempt.score},
                              "percent": {"old": old[1], "new": attempt.percent},
                              "passed": {"old": old[2], "new": attempt.passed}})
        learner = db.session.get(User, attempt.user_id)
        if attempt.passed and not old[2] and attempt.released_at and learner is not None \
                and quiz.is_assessment:
            complete_assessed_module(learner, quiz, now)
    db.session.flush()
    return RegradeSummary(len(attempts), changed)
