"""Gradebook and item analysis reads: a fixed number of statements per page."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.centres.scope import in_centres, learner_in_centres
from app.content.models import Course, Question, Quiz
from app.extensions import db
from app.grading.analysis import AttemptFacts, ItemStats, analyse
from app.grading.models import QuestionGrade
from app.learning.models import Enrolment
from app.quizzes.models import AnswerStep, Attempt
from app.quizzes.rules import score_attempt
from app.quizzes.services import answers_locale
from app.records.checks import stream_rows
from app.records.replay import Key, Row


@dataclass
class Cell:
    best: float | None = None
    last: float | None = None
    passed: bool = False
    attempts: int = 0


@dataclass
class GradebookRow:
    learner: User
    cells: dict[int, Cell] = field(default_factory=dict)


def attempts_to_grade(course_id: int) -> int:
    """Attempts of the course waiting for a person to grade them: one statement."""
    return db.session.scalar(
        select(func.count()).select_from(Attempt).join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Quiz.course_id == course_id, Attempt.state == "awaiting_grading")) or 0


@dataclass(frozen=True)
class GradingWork:
    to_grade: int
    oldest: datetime | None  # the oldest submission waiting for a grade
    to_release: int


def grading_work(course_ids: Iterable[int] | None,
                 centres: frozenset[int] | None = None) -> GradingWork:
    """Attempts waiting for a grade (and the oldest one's submission), and graded attempts
    waiting for their release, in these courses (every course for None): one statement."""
    waiting = Attempt.state == "awaiting_grading"
    unreleased = (Attempt.state == "graded") & Attempt.released_at.is_(None)
    statement = (select(func.count(case((waiting, Attempt.id))).label("to_grade"),
                        func.min(case((waiting, Attempt.submitted_at))).label("oldest"),
                        func.count(case((unreleased, Attempt.id))).label("to_release"))
                 .select_from(Attempt).join(Quiz, Quiz.id == Attempt.quiz_id)
                 .where(Attempt.state.in_(("awaiting_grading", "graded"))))
    if course_ids is not None:
        statement = statement.where(Quiz.course_id.in_(set(course_ids)))
    statement = statement.where(learner_in_centres(Quiz.course_id, Attempt.user_id, centres))
    row = db.session.execute(statement).one()
    return GradingWork(row.to_grade or 0, row.oldest, row.to_release or 0)


def _released(statement: Select[Attempt]) -> Select[Attempt]:
    return statement.where(Attempt.state == "graded", Attempt.released_at.is_not(None))


def gradebook_quizzes(course: Course) -> list[Quiz]:
    return list(db.session.scalars(select(Quiz).where(
        Quiz.course_id == course.id, Quiz.archived_at.is_(None), Quiz.pass_mark.is_not(None))
        .order_by(Quiz.module_id, Quiz.position)))


def gradebook_rows(course: Course, quizzes: list[Quiz],
                   centres: frozenset[int] | None = None) -> Iterator[GradebookRow]:
    """Learners who enrolled through `centres` (None: every centre) in name order with their
    cells, streamed from one grouped statement: memory stays flat however many learners
    there are (the CSV of 100,000 learners)."""
    ids = [q.id for q in quizzes]
    released = (Attempt.state == "graded") & Attempt.released_at.is_not(None)
    later = aliased(Attempt)
    # The last released attempt's score: one index lookup per learner and assessment, which
    # no planner can turn into a join of every attempt with every other.
    last_percent = (select(later.percent)
                    .where(later.user_id == User.id, later.quiz_id == Attempt.quiz_id,
                           later.state == "graded", later.released_at.is_not(None))
                    .order_by(later.number.desc()).limit(1).correlate(User, Attempt)
                    .scalar_subquery())
    statement = (
        select(User, Attempt.quiz_id, func.max(Attempt.percent), func.count(Attempt.id),
               func.max(case((Attempt.passed.is_(True), 1), else_=0)), last_percent)
        .join(Enrolment, Enrolment.user_id == User.id)
        .outerjoin(Attempt, (Attempt.user_id == User.id) & Attempt.quiz_id.in_(ids) & released)
        .where(Enrolment.course_id == course.id, Enrolment.status == "active",
               in_centres(Enrolment.centre_id, centres))
        .group_by(User.id, Attempt.quiz_id)
        .order_by(User.name, User.id)
        .execution_options(yield_per=1000))
    row: GradebookRow | None = None
    for user, quiz_id, best, count, passed, last_percent in db.session.execute(statement):
        if row is None or row.learner.id != user.id:
            if row is not None:
                yield row
            row = GradebookRow(user, {q.id: Cell() for q in quizzes})
        if quiz_id is not None:
            row.cells[quiz_id] = Cell(best, last_percent, bool(passed), count)
    if row is not None:
        yield row


def gradebook(course: Course, centres: frozenset[int] | None = None
              ) -> tuple[list[Quiz], list[GradebookRow]]:
    """Learners by assessments: best and last released score, and whether passed."""
    quizzes = gradebook_quizzes(course)
    return quizzes, list(gradebook_rows(course, quizzes, centres))


def gradebook_csv_rows(quizzes: list[Quiz], rows: Iterable[GradebookRow]
                       ) -> Iterator[list[str]]:
    yield [_("name"), _("email"), *(heading for q in quizzes for heading in (
        # Translators: gradebook CSV column headings; %(quiz)s is the quiz's short name.
        _("%(quiz)s best %%", quiz=q.slug), _("%(quiz)s last %%", quiz=q.slug),
        _("%(quiz)s passed", quiz=q.slug)))]
    for row in rows:
        values = [row.learner.name, row.learner.email]
        for quiz in quizzes:
            cell = row.cells[quiz.id]
            values += ["" if cell.best is None else f"{cell.best:g}",
                       "" if cell.last is None else f"{cell.last:g}",
                       _("yes") if cell.passed else _("no")]
        yield values


def attempts_by_language(quiz: Quiz) -> dict[str, int]:
    """The quiz's released attempts counted by the language they were taken in: one
    statement."""
    return {row.language: row.attempts for row in db.session.execute(
        select(Attempt.language, func.count().label("attempts"))
        .where(Attempt.quiz_id == quiz.id, Attempt.state == "graded",
               Attempt.released_at.is_not(None))
        .group_by(Attempt.language).order_by(Attempt.language))}


def item_analysis(quiz: Quiz, language: str | None = None, own_language: str | None = None,
                  centres: frozenset[int] | None = None
                  ) -> tuple[list[dict[str, object]], list[ItemStats], int]:
    """Statistics per question over the released attempts (four statements): of every
    language version together (questions are the same by their keys), or of the attempts
    taken in `language` alone. A question is shown as the attempts in `own_language` (the
    course's) gave it, when there are some."""
    statement = select(Attempt).where(Attempt.quiz_id == quiz.id, learner_in_centres(
        quiz.course_id, Attempt.user_id, centres))
    if language:
        statement = statement.where(Attempt.language == language)
    attempts = list(db.session.scalars(_released(statement)))
    ids = [a.id for a in attempts]
    answers: dict[int, dict[str, dict[str, object]]] = {}
    grades: dict[tuple[int, str], float] = {}
    if ids:
        for step in db.session.scalars(select(AnswerStep).where(
                AnswerStep.attempt_id.in_(ids)).order_by(AnswerStep.seq)):
            answers.setdefault(step.attempt_id, {})[step.question_key] = step.answer
        for grade in db.session.scalars(select(QuestionGrade).where(
                QuestionGrade.attempt_id.in_(ids)).order_by(QuestionGrade.id)):
            grades[(grade.attempt_id, grade.question_key)] = grade.points
    facts = []
    questions: dict[str, dict[str, object]] = {}
    for attempt in attempts:
        given = answers.get(attempt.id, {})
        result = score_attempt(attempt.snapshot, given, answers_locale(attempt))
        fractions: dict[str, float] = {}
        choices: dict[str, tuple[int, ...]] = {}
        for item in attempt.snapshot:
            key = item["key"]
            if key not in questions or attempt.language == own_language:
                questions[key] = item
            points = grades.get((attempt.id, key), result.per_question[key].points)
            fractions[key] = points / item["points"] if item["points"] else 0.0
            answer = given.get(key) or {}
            picked = answer.get("choices", [answer["choice"]] if "choice" in answer else [])
            choices[key] = tuple(picked)  # type: ignore[arg-type]
        facts.append(AttemptFacts(attempt.percent or 0.0, fractions, choices))
    position = {key: n for n, key in enumerate(db.session.scalars(
        select(Question.key).where(Question.quiz_id == quiz.id).order_by(Question.position)))}
    ordered = sorted(questions.values(), key=lambda q: position.get(str(q["key"]), 10**6))
    stats = analyse([str(q["key"]) for q in ordered], facts)
    return ordered, stats, len(attempts)


# --- what records verify reads (registered in this feature's init_app) --------------------


def grade_rows() -> Iterator[tuple[Key, Row]]:
    """The records' reader of "question_grades": each grade given."""
    G = QuestionGrade
    for row in stream_rows(select(G.id, G.attempt_id, G.question_key, G.points)
                           .order_by(G.attempt_id, G.id)):
        yield (row.attempt_id,), {"id": row.id, "question_key": row.question_key,
                                  "points": row.points}
