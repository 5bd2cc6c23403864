"""What a module page shows of its quizzes: their rules and the viewer's attempts."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, func, insert, select, update

from app.content.models import Quiz
from app.core.registry import Hooks
from app.extensions import db
from app.learning.outline import ModuleInfo, QuizInfo
from app.learning.panels import SlotPanel
from app.quizzes.models import AnswerStep, Attempt
from app.quizzes.rules import remaining_attempts
from app.records.checks import stream_rows
from app.records.replay import Key, Row

# The statements that module pages, autosave and submit run on every request are built
# once, here: building a statement and its cache key cost more than running it
# (docs/performance.md). Rows are read by their columns' names.
_attempts, _quizzes = cast(Table, Attempt.__table__), cast(Table, Quiz.__table__)
_steps = cast(Table, AnswerStep.__table__)

# The viewer's attempts at a module's quizzes: every view of a module that has quizzes.
_VIEWER_ATTEMPTS = (
    select(_attempts.c.quiz_id, _attempts.c.id, _attempts.c.number, _attempts.c.state,
           _attempts.c.percent, _attempts.c.passed, _attempts.c.released_at)
    .join(_quizzes, _quizzes.c.id == _attempts.c.quiz_id)
    .where(_attempts.c.user_id == bindparam("viewer"),
           _quizzes.c.module_id == bindparam("module"))
    .order_by(_attempts.c.quiz_id, _attempts.c.number))

# The newest saved answer of each question of an attempt: every submit, review and grading
# page reads it.
_newest = (select(_steps.c.question_key, func.max(_steps.c.seq).label("seq"))
           .where(_steps.c.attempt_id == bindparam("attempt"))
           .group_by(_steps.c.question_key).subquery())
LATEST_ANSWERS = (
    select(_steps.c.question_key, _steps.c.answer)
    .join(_newest, and_(_newest.c.question_key == _steps.c.question_key,
                        _newest.c.seq == _steps.c.seq))
    .where(_steps.c.attempt_id == bindparam("attempt")))

# Autosave runs these on every keystroke pause of every learner in an exam. An attempt
# without its snapshot, and the snapshot alone for a worker that does not hold its questions.
# The attempt's row is locked until the save commits (FOR NO KEY UPDATE on PostgreSQL; a
# SQLite writer holds the database's write lock anyway): the same save sent twice at once,
# by a proxy retrying it on another node, is then checked against what the first stored
# instead of both inserting, and a save and a submit of one attempt take turns.
ANSWER_SHEET = select(_attempts.c.id, _attempts.c.user_id, _attempts.c.state,
                      _attempts.c.started_at, _attempts.c.deadline_at, _attempts.c.finished_by
                      ).where(_attempts.c.id == bindparam("attempt")
                              ).with_for_update(key_share=True)
SNAPSHOT = select(_attempts.c.snapshot).where(_attempts.c.id == bindparam("attempt"))
# These answers as stored already at this counter or a later one: none for a new save, the
# same ones at the same counter for a save sent again. A seek in the unique index
# (attempt, question, seq) per question, however many saves the attempt has.
SAVED_SINCE = (select(_steps.c.question_key, _steps.c.seq, _steps.c.answer, _steps.c.saved_at)
               .where(_steps.c.attempt_id == bindparam("attempt"),
                      _steps.c.question_key.in_(bindparam("keys", expanding=True)),
                      _steps.c.seq >= bindparam("seq")))
ADD_STEPS = insert(_steps)

# Submitting claims the attempt: of parallel submits, only the one whose UPDATE finds it
# still in progress wins (its rowcount is 1).
CLAIM = (update(_attempts)
         .where(_attempts.c.id == bindparam("attempt"), _attempts.c.state == "in_progress")
         .values(state="submitted", submitted_at=bindparam("now"), finished_by=bindparam("by")))
CLAIMED_COLUMNS = ("state", "submitted_at", "finished_by")  # what CLAIM writes


@dataclass(frozen=True)
class AttemptLine:
    """One of the viewer's attempts, as the quiz panel lists it."""

    id: int
    number: int
    state: str
    percent: float | None
    passed: bool | None
    released_at: datetime | None

    @property
    def open(self) -> bool:
        return self.state == "in_progress"


@dataclass
class QuizPanel:
    quiz: QuizInfo
    attempts: list[AttemptLine] = field(default_factory=list)

    @property
    def open_attempt(self) -> AttemptLine | None:
        return next((a for a in self.attempts if a.open), None)

    @property
    def passed(self) -> bool:
        return any(a.passed and a.released_at for a in self.attempts)

    @property
    def pending(self) -> AttemptLine | None:
        """The latest submitted attempt whose result the learner does not have yet."""
        return next((a for a in reversed(self.attempts) if not a.open and not a.released_at),
                    None)

    @property
    def attempts_left(self) -> int | None:
        return remaining_attempts(self.quiz.attempts, len(self.attempts))


def quiz_panels(module: ModuleInfo, viewer_id: int) -> dict[str, QuizPanel]:
    """A panel per live quiz of the module, by slug: one statement, none without quizzes."""
    panels = {quiz.slug: QuizPanel(quiz) for quiz in module.quizzes}
    if not panels:
        return panels
    slug_of = {quiz.id: quiz.slug for quiz in module.quizzes}
    for row in db.session.execute(_VIEWER_ATTEMPTS, {"viewer": viewer_id, "module": module.id}):
        if row.quiz_id in slug_of:  # an archived quiz of the module shows no panel
            panels[slug_of[row.quiz_id]].attempts.append(AttemptLine(
                id=row.id, number=row.number, state=row.state, percent=row.percent,
                passed=row.passed, released_at=row.released_at))
    return panels


# (attempt) -> what an assessor gave a graded attempt, by question key (points, feedback),
# for its review page; grading adds the reader, so quizzes never imports grading.
AttemptGrades = Callable[[Attempt], Mapping[str, Any]]
ATTEMPT_GRADES: Hooks[AttemptGrades] = Hooks("attempt grades")


def attempt_grades(attempt: Attempt) -> dict[str, Any]:
    return {key: grade for read in ATTEMPT_GRADES.all() for key, grade in read(attempt).items()}


def quiz_slot_panels(module: ModuleInfo, viewer_id: int) -> dict[str, SlotPanel]:
    """The module page's panels for its quiz slots (quizzes adds this to learning's)."""
    return {slug: SlotPanel("quizzes/panel.html", panel)
            for slug, panel in quiz_panels(module, viewer_id).items()}


# --- what records verify reads (registered in this feature's init_app) --------------------


def attempt_rows() -> Iterator[tuple[Key, Row]]:
    """The records' reader of "attempts": state, score and release."""
    A = Attempt
    for row in stream_rows(select(A.id, A.user_id, A.state, A.score, A.percent, A.passed,
                                  A.released_at).order_by(A.id)):
        yield (row.id,), {"id": row.id, "user_id": row.user_id, "state": row.state,
                          "score": row.score, "percent": row.percent, "passed": row.passed,
                          "released": row.released_at is not None}
