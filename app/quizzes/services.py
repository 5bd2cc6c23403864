"""Attempts: start, save answers, submit exactly once, finish overdue attempts."""

from __future__ import annotations

import secrets
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.auth.models import User
from app.content.models import Course, Module, ModuleTranslation, Question, Quiz
from app.content.versions import translate_question
from app.core.caches import AppCache
from app.core.errors import DomainError, PermissionDenied, ValidationError
from app.extensions import db
from app.learning.services import (
    LearnerStanding,
    complete_module,
    require_unlocked,
)
from app.quizzes.models import Attempt
from app.quizzes.queries import (
    ADD_STEPS,
    ANSWER_SHEET,
    CLAIM,
    CLAIMED_COLUMNS,
    LATEST_ANSWERS,
    SAVED_SINCE,
    SNAPSHOT,
)
from app.quizzes.rules import (
    QuestionRow,
    as_stored,
    build_snapshot,
    passed,
    remaining_attempts,
    score_attempt,
    sent_again,
)
from app.quizzes.types import InvalidAnswer, RefusedAnswer, question_type
from app.records.services import record_event


def attempts_used(learner: User, quiz: Quiz) -> int:
    return db.session.scalar(select(func.count()).select_from(Attempt).where(
        Attempt.quiz_id == quiz.id, Attempt.user_id == learner.id)) or 0


def attempts_left(learner: User, quiz: Quiz) -> int | None:
    """None when unlimited."""
    return remaining_attempts(quiz.attempts, attempts_used(learner, quiz))


def open_attempt(learner: User, quiz: Quiz) -> Attempt | None:
    return db.session.scalar(select(Attempt).where(
        Attempt.quiz_id == quiz.id, Attempt.user_id == learner.id,
        Attempt.state == "in_progress"))


def _event(action: str, learner: User, attempt: Attempt, quiz: Quiz, now: datetime,
           details: dict[str, Any]) -> None:
    record_event(action, actor=learner, now=now, subject_type="attempt", subject_id=attempt.id,
                 course_id=quiz.course_id, learner_id=attempt.user_id,
                 details={"quiz": quiz.slug, "attempt": attempt.number, **details})


PENDING_UNCONFIRMED = _l("Your last attempt is still waiting for grading, and its result may "
                         "still reach the pass mark. To start a new attempt anyway, tick the "
                         "box that says so.")


def pending_attempt(learner: User, quiz: Quiz) -> Attempt | None:
    """A submitted attempt whose result the learner does not have yet: waiting for an
    assessor, or graded and not yet released."""
    return db.session.scalar(select(Attempt).where(
        Attempt.quiz_id == quiz.id, Attempt.user_id == learner.id,
        Attempt.state.in_(("awaiting_grading", "graded")), Attempt.released_at.is_(None))
        .order_by(Attempt.number.desc()).limit(1))


def version_texts(quiz: Quiz, language: str) -> dict[str, dict[str, Any]] | None:
    """The texts of the quiz's questions (by key) in its module's version `language`, or
    None when the module has no such version: one statement."""
    quizzes = db.session.scalar(select(ModuleTranslation.quizzes).where(
        ModuleTranslation.module_id == quiz.module_id, ModuleTranslation.language == language))
    if quizzes is None:
        return None
    return dict(quizzes.get(quiz.slug, {}).get("questions", {}))


def titles_in(quiz: Quiz, module_title: str, language: str, own: str
              ) -> tuple[str, str]:
    """The quiz's title and its module's in the module's version `language` (an attempt's),
    else the originals: one statement, none when `language` is the course's `own`."""
    if language != own:
        row = db.session.execute(select(ModuleTranslation.title, ModuleTranslation.quiz_titles)
                                 .where(ModuleTranslation.module_id == quiz.module_id,
                                        ModuleTranslation.language == language)).one_or_none()
        if row is not None:
            return row.quiz_titles.get(quiz.slug) or quiz.title, row.title or module_title
    return quiz.title, module_title


def attempt_quiz(attempt: Attempt) -> tuple[Quiz, str]:
    """The attempt's quiz and its title in the attempt's language: its module's version's
    title when the module has a version in it, else the quiz's own. One statement."""
    row = db.session.execute(
        select(Quiz, ModuleTranslation.quiz_titles)
        .outerjoin(ModuleTranslation, (ModuleTranslation.module_id == Quiz.module_id)
                   & (ModuleTranslation.language == attempt.language))
        .where(Quiz.id == attempt.quiz_id)).one()
    return row.Quiz, (row.quiz_titles or {}).get(row.Quiz.slug) or row.Quiz.title


def _questions_in(quiz: Quiz, language: str | None, own: str | None
                  ) -> tuple[str, list[QuestionRow]]:
    """The quiz's questions as an attempt in `language` gives them, and the language they
    are in: a version's texts when its module has that version, else the course's own."""
    texts = version_texts(quiz, language) if language and language != own else None
    if texts is None:
        language = own or db.session.scalar(select(Course.language).where(
            Course.id == quiz.course_id))
        texts = {}
    rows = []
    for q in db.session.scalars(select(Question).where(Question.quiz_id == quiz.id)
                                .order_by(Question.position)):
        prompt, data = translate_question(q.prompt_html, q.answer_data, texts.get(q.key))
        rows.append(QuestionRow(q.key, q.kind, prompt, q.points, data,
                                q.objectives[0] if q.objectives else None))
    assert language is not None
    return language, rows


def start_attempt(learner: User, quiz: Quiz, now: datetime, *,
                  view: LearnerStanding | None = None, confirmed_pending: bool = False,
                  language: str | None = None, typed_in: str | None = None) -> Attempt:
    """Continue the open attempt, or start one if attempts are left and the module is open.

    While an attempt waits for its result, a new one starts only when the learner confirms
    (`confirmed_pending`) that they understand the pending one may still pass: an attempt is
    not spent by mistake. Whether the module is locked is worked out here; `view` is the
    course view the page read for this learner, which saves reading it again. A new attempt
    is in the module's version `language` when it has one (else in the course's own), and
    stays in it; an open attempt goes on in its own language. `typed_in` is the interface
    language the learner answers in (`answers_locale`)."""
    current = open_attempt(learner, quiz)
    if current is not None:
        return current
    if quiz.archived_at is not None:
        raise DomainError(_("This quiz is no longer part of the course."))
    require_unlocked(learner, quiz.course_id, quiz.module_id, view)
    if quiz.is_assessment and db.session.scalar(select(Attempt.id).where(
            Attempt.quiz_id == quiz.id, Attempt.user_id == learner.id,
            Attempt.passed.is_(True), Attempt.released_at.is_not(None)).limit(1)) is not None:
        raise DomainError(_("You have passed this assessment already."))
    used = attempts_used(learner, quiz)
    if remaining_attempts(quiz.attempts, used) == 0:
        raise DomainError(_("You have used all your attempts at this quiz."))
    pending = pending_attempt(learner, quiz) if quiz.is_assessment else None
    if pending is not None and not confirmed_pending:
        raise ValidationError(str(PENDING_UNCONFIRMED), field="confirm_pending")
    own = view.course.own_language if view is not None else None
    given_in, questions = _questions_in(quiz, language, own)
    snapshot = build_snapshot(
        questions, shuffle=quiz.shuffle, pick=quiz.pick, per_objective=quiz.pick_per_objective,
        seed=secrets.randbits(32))
    attempt = Attempt(
        quiz_id=quiz.id, user_id=learner.id, number=used + 1, language=given_in,
        typed_in=typed_in,        state="in_progress", started_at=now, snapshot=snapshot,
        max_score=sum(item["points"] for item in snapshot),
        deadline_at=(now + timedelta(minutes=quiz.time_limit_minutes)
                     if quiz.time_limit_minutes else None))
    db.session.add(attempt)
    db.session.flush()
    details: dict[str, Any] = {
        "deadline": attempt.deadline_at.isoformat() if attempt.deadline_at else None,
        "language": given_in}
    if pending is not None:
        details["while_pending"] = pending.number  # the learner confirmed it
    _event("attempt.started", learner, attempt, quiz, now, details)
    return attempt


def own_attempt(learner: User, attempt_id: int, *, lock: bool = False) -> Attempt:
    """The learner's attempt, or PermissionDenied: no one reads another's attempt by id.
    `lock`: for a submit, its row stays locked until the request commits (as
    `answer_sheet`'s), so that a submit sent twice at once is scored once, after the first
    is written, and a save of the same attempt waits for it or goes first."""
    attempt = (db.session.get(Attempt, attempt_id, with_for_update={"key_share": True},
                              populate_existing=True)
               if lock else db.session.get(Attempt, attempt_id))
    if attempt is None or attempt.user_id != learner.id:
        raise PermissionDenied("not your attempt")
    return attempt


def latest_answers(attempt: Attempt) -> dict[str, dict[str, Any]]:
    """The newest saved answer of each question."""
    rows = db.session.execute(LATEST_ANSWERS, {"attempt": attempt.id}).all()  # one fetch
    return {row.question_key: row.answer for row in rows}


class StaleSave(DomainError):
    """A save older than one already stored: it must not overwrite the newer answer."""


class SavedAttempt(Protocol):
    """What saving answers reads of an attempt: an `Attempt`, or the `AnswerSheet` that the
    autosave route reads without the attempt's snapshot."""

    @property
    def id(self) -> int: ...
    @property
    def user_id(self) -> int: ...
    @property
    def state(self) -> str: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def deadline_at(self) -> datetime | None: ...
    @property
    def finished_by(self) -> str: ...


@dataclass(frozen=True)
class AnswerSheet:
    id: int
    user_id: int
    state: str
    started_at: datetime
    deadline_at: datetime | None
    finished_by: str = ""


def answer_sheet(learner: User, attempt_id: int) -> AnswerSheet:
    """The learner's attempt for saving answers (one small statement), or PermissionDenied.
    Its row stays locked until the request ends (queries.ANSWER_SHEET)."""
    row = db.session.execute(ANSWER_SHEET, {"attempt": attempt_id}).first()
    if row is None or row.user_id != learner.id:
        raise PermissionDenied("not your attempt")
    return AnswerSheet(id=row.id, user_id=row.user_id, state=row.state,
                       started_at=row.started_at, deadline_at=row.deadline_at,
                       finished_by=row.finished_by)


# The questions of open attempts. An attempt's snapshot never changes while it is open (a
# regrade touches finished attempts only), so each worker reads an open attempt's once
# instead of on every save (docs/performance.md). The key is the attempt's id with its
# learner and start: an id alone can name another attempt once a database is restored
# from a backup or emptied and filled again under a running worker.
OPEN_ATTEMPT_ITEMS: AppCache[tuple[int, int, datetime], dict[str, dict[str, Any]]] = AppCache(
    "open attempts' questions", size=2_000)


def answer_items(attempt: SavedAttempt, *, fresh: bool = False) -> dict[str, dict[str, Any]]:
    """The questions of an attempt by key, as its snapshot froze them; an open attempt's
    from the worker's cache unless `fresh` (read them again, and keep those)."""

    def read() -> dict[str, dict[str, Any]]:
        snapshot = (attempt.snapshot if isinstance(attempt, Attempt)
                    else db.session.execute(SNAPSHOT, {"attempt": attempt.id}).scalar_one())
        return {item["key"]: item for item in snapshot}

    if attempt.state != "in_progress":
        return read()
    key = (attempt.id, attempt.user_id, attempt.started_at)
    if fresh:
        items = read()
        OPEN_ATTEMPT_ITEMS.put(key, items)
        return items
    return OPEN_ATTEMPT_ITEMS.get(key, read)


@dataclass(frozen=True)
class SaveResult:
    """What a save kept: the keys saved, and the answers refused with the reason for each
    (a value the attempt never offered). The refused ones are not stored. `saved_at`: when
    they were stored, which is earlier than now for a save received a second time (then
    nothing new was stored). `finished`: nothing was saved because the attempt is
    finished; `finished_by` "server" when the time limit had passed (maybe just now: the
    attempt was then submitted with the answers saved before, and that is kept: commit)."""

    saved: list[str]
    refused: dict[str, str] = field(default_factory=dict)
    finished: bool = False
    saved_at: datetime | None = None
    finished_by: str = ""


FINISHED_AT_LIMIT = _l("The time limit has passed: your attempt was submitted with the "
                       "answers saved before then.")


ALREADY_FINISHED = _l("This attempt is finished; answers can no longer change.")


def save_answers(learner: User, attempt: SavedAttempt, raw: dict[str, list[str]], seq: int,
                 now: datetime) -> SaveResult:
    """Append the answers given (question key -> form values) as of the page's counter `seq`.

    Answers that cannot be read are saved as typed all the same: a learner's answer is never
    lost; scoring treats them as wrong. A choice value that is not one of the attempt's
    tokens is refused instead: it was not typed, and keeping it would overwrite an answer.
    Past the time limit the attempt is finished instead, and the result says so; so it does
    for an attempt finished before.

    Safe to receive twice (a proxy retrying it on another node): the same answers under the
    same `seq`, stored already, are acknowledged with the result the first save had, and
    nothing is stored again. An answer stored at `seq` or later otherwise raises StaleSave,
    before anything is written.
    """
    if attempt.user_id != learner.id:
        raise PermissionDenied("not your attempt")
    if _overdue(attempt, now):
        record = attempt if isinstance(attempt, Attempt) else db.session.get(Attempt, attempt.id)
        assert record is not None
        finish_if_overdue(record, now)
        return SaveResult([], finished=True, finished_by="server")
    if attempt.state != "in_progress":
        return SaveResult([], finished=True, finished_by=attempt.finished_by)
    items = answer_items(attempt)
    keys = [key for key in raw if key in items]
    steps, refused = _answer_steps(attempt, items, raw, keys, seq, now)
    if refused:
        # Before refusing, make sure the worker's copy of the questions is this attempt's
        # (an id can come back when a database is rebuilt): refusing loses the answer.
        steps, refused = _answer_steps(attempt, answer_items(attempt, fresh=True), raw, keys,
                                       seq, now)
    saved = [step["question_key"] for step in steps]
    stored = (db.session.execute(SAVED_SINCE, {"attempt": attempt.id, "keys": keys,
                                               "seq": seq}).all() if keys else [])
    if stored:
        if sent_again({row.question_key: (row.seq, row.answer) for row in stored},
                      {step["question_key"]: as_stored(step["answer"]) for step in steps}, seq):
            return SaveResult(saved, refused, saved_at=min(row.saved_at for row in stored))
        raise StaleSave(_("A newer answer was saved already; reload the page."))
    if steps:
        db.session.execute(ADD_STEPS, steps)
    return SaveResult(saved, refused, saved_at=now)


def _answer_steps(attempt: SavedAttempt, items: dict[str, dict[str, Any]],
                  raw: dict[str, list[str]], keys: list[str], seq: int, now: datetime
                  ) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The answer steps to append, and the answers refused with the reason for each."""
    steps: list[dict[str, Any]] = []
    refused: dict[str, str] = {}
    for key in keys:
        item = items.get(key)
        if item is None:
            continue
        try:
            answer = read_answer(item, raw[key])
        except RefusedAnswer as error:
            refused[key] = str(error)
            continue
        steps.append({"attempt_id": attempt.id, "question_key": key, "seq": seq,
                      "answer": answer, "saved_at": now})
    return steps, refused


def read_answer(item: dict[str, Any], raw: list[str]) -> dict[str, Any]:
    """One question's answer from its form values, as saving stores it: kept as typed when
    it cannot be read. Raises RefusedAnswer for a value the attempt never offered."""
    qtype = question_type(item["kind"])
    values = qtype.form_values(item, raw)
    try:
        return qtype.parse(item["data"], values)
    except InvalidAnswer:
        return {"unreadable": values[:1]}


def posted_answers(attempt: SavedAttempt, raw: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    """The answers a form carries, read as a save reads them but stored nowhere: for showing
    the learner their form again when it could not be saved. Refused values are left out."""
    items = answer_items(attempt)
    answers = {}
    for key, values in raw.items():
        if key in items:
            with suppress(RefusedAnswer):
                answers[key] = read_answer(items[key], values)
    return answers


def _overdue(attempt: SavedAttempt, now: datetime) -> bool:
    return (attempt.state == "in_progress" and attempt.deadline_at is not None
            and now >= attempt.deadline_at)


def answers_locale(attempt: Attempt, fallback: str | None = None) -> str:
    """The language the attempt's answers were typed in, which says how a number such as
    "1,500" reads: the interface's when the learner answered (`typed_in`), else `fallback`
    (the request's), else the language of the questions, for attempts from before."""
    return attempt.typed_in or fallback or attempt.language


def answer_problems(attempt: Attempt, answers: dict[str, dict[str, Any]] | None = None,
                    *, locale: str | None = None) -> dict[str, list[str]]:
    """What stops the learner's saved answers (read here unless given) from being submitted:
    essay word limits, numbers that cannot be read (as `locale` writes them)."""
    found = {}
    if answers is None:
        answers = latest_answers(attempt)
    locale = locale or answers_locale(attempt)
    for item in attempt.snapshot:
        answer = answers.get(item["key"])
        if answer:
            problems = question_type(item["kind"]).problems(item["data"], answer, locale)
            if problems:
                found[item["key"]] = problems
    return found


def submit_attempt(learner: User, attempt: Attempt, now: datetime, *,
                   by: str = "learner", answers: dict[str, dict[str, Any]] | None = None,
                   locale: str | None = None) -> bool:
    """Finish the attempt and score it, exactly once: of parallel submits one wins, the others
    see it finished. Returns whether this call finished it. `answers` are its latest saved
    answers when the caller has just read them in this transaction; `locale` the interface
    language of the learner's submit, which the attempt keeps (`answers_locale`)."""
    if attempt.user_id != learner.id:
        raise PermissionDenied("not your attempt")
    won = db.session.execute(  # type: ignore[attr-defined]
        CLAIM, {"attempt": attempt.id, "now": now, "by": by}).rowcount
    if not won:
        db.session.refresh(attempt)  # another request finished it: show what it wrote
        return False
    # The claim wrote these columns past the ORM: what it holds of them is out of date, and
    # is read again if anything asks before the commit.
    db.session.expire(attempt, CLAIMED_COLUMNS)
    quiz = db.session.get(Quiz, attempt.quiz_id)
    assert quiz is not None
    if answers is None:
        answers = latest_answers(attempt)
    if locale:
        attempt.typed_in = locale
    result = score_attempt(attempt.snapshot, answers, answers_locale(attempt))
    attempt.score = result.score
    attempt.percent = result.percent
    details: dict[str, Any] = {"score": result.score, "max_score": result.max_score,
                               "finished_by": by}
    if result.needs_grading:
        attempt.state = "awaiting_grading"
        _event("attempt.submitted", learner, attempt, quiz, now, details)
        return True
    attempt.state, attempt.graded_at, attempt.released_at = "graded", now, now
    attempt.passed = passed(result.percent, quiz.pass_mark)
    details.update(percent=result.percent, passed=attempt.passed, pass_mark=quiz.pass_mark)
    _event("attempt.submitted", learner, attempt, quiz, now, details)
    if attempt.passed and quiz.is_assessment:
        complete_assessed_module(learner, quiz, now)
    return True


def complete_assessed_module(learner: User, quiz: Quiz, now: datetime) -> None:
    """Passing an assessment completes its module (once its result is released), unless
    the module is locked for the learner: then the pass stays on record, and completes
    nothing."""
    module = db.session.get(Module, quiz.module_id)
    if module is None or module.archived_at is not None:
        return
    # It completes once the module's other requirements (attendance, a sign-off) are met too;
    # an archived quiz's module no longer asks for it.
    with suppress(DomainError):
        complete_module(learner, module, now, via="assessment")


def finish_if_overdue(attempt: Attempt, now: datetime) -> bool:
    """The server ends an attempt whose deadline has passed, with its saved answers."""
    if _overdue(attempt, now):
        assert attempt.deadline_at is not None
        learner = db.session.get(User, attempt.user_id)
        assert learner is not None
        return submit_attempt(learner, attempt, attempt.deadline_at, by="server")
    return False


def finish_overdue_attempts(now: datetime) -> int:
    """For the CLI (or a timer): finish every overdue attempt. Returns how many."""
    overdue = db.session.scalars(select(Attempt).where(
        Attempt.state == "in_progress", Attempt.deadline_at.is_not(None),
        Attempt.deadline_at <= now)).all()
    return sum(finish_if_overdue(attempt, now) for attempt in overdue)


def assessments_passed(learner: User, module: Module, since: datetime) -> bool:
    """Every live assessment of the module has a released pass since `since`."""
    quiz_ids = set(db.session.scalars(select(Quiz.id).where(
        Quiz.module_id == module.id, Quiz.archived_at.is_(None), Quiz.pass_mark.is_not(None))))
    passed_ids = set(db.session.scalars(select(Attempt.quiz_id).where(
        Attempt.user_id == learner.id, Attempt.quiz_id.in_(quiz_ids), Attempt.passed.is_(True),
        Attempt.released_at >= since)))
    return quiz_ids <= passed_ids
