"""Data at scale for the load benchmark: learners, enrolments, progress, graded attempts,
and the training network the reports read: centres, programmes, intakes (every learner in
one), a live session per intake with its attendance, completions and programme certificates.

Rows go in with bulk inserts (thousands per statement); every learner shares one password
hash, computed once, because hashing 100,000 argon2 passwords would take most of an hour
and measure nothing the benchmark is about.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select, text

from app.auth.models import User, UserRole
from app.auth.passwords import hash_password
from app.content.importer import import_folders
from app.content.models import Course, Module, Question, Quiz
from app.extensions import db
from app.learning.models import Enrolment, ModuleProgress
from app.quizzes.models import AnswerStep, Attempt
from app.quizzes.rules import QuestionRow, build_snapshot
from app.quizzes.types import question_type
from bench import network
from bench.import_bench import module_text
from bench.rows import insert_rows

PASSWORD = "bench passphrase for every learner"  # noqa: S105 - generated learners only
COURSE = "bench-course"
QUIZ = "bench-exam"
# The trainees' spread: forty countries, most of them low- and middle-income, as in the
# network's intakes; every fifth trainee's gender not recorded.
COUNTRIES = ("NG", "KE", "IN", "BD", "PK", "VN", "ID", "EG", "ZA", "BR", "AR", "MX", "CO",
             "PE", "GH", "ET", "UG", "TZ", "RW", "SN", "CI", "CM", "MA", "TN", "JO", "LK",
             "NP", "PH", "TH", "MY", "KR", "KR", "KR", "DE", "FR", "US", "BW", "ZM", "MN", "UZ")
ORGANISATION_TYPES = ("manufacturer", "manufacturer", "regulator", "academia", "government",
                      "other")
GENDERS = ("female", "male", "female", "male", None)


@dataclass(frozen=True)
class Scale:
    learners: int
    modules: int  # in the bench course; each learner has progress in all of them
    graded_attempts: int  # 20 answers each
    submit_users: int  # learners who each hold `open_per_user` open attempts to submit
    open_per_user: int
    centres: int = 3  # the hub among them
    intakes: int = 20  # spread over the centres; every learner is in one


SCALES = {
    # 10,000 learners so that the gradebook CSV covers 10,000 (the figure); the
    # learners without an attempt take part in the spike and the autosave scenarios.
    "small": Scale(learners=10_000, modules=5, graded_attempts=9_000, submit_users=8,
                   open_per_user=500, centres=3, intakes=20),
    "large": Scale(learners=100_000, modules=20, graded_attempts=50_000, submit_users=8,
                   open_per_user=800, centres=10, intakes=200),
}


def exam_text() -> str:
    """A lesson of about 10 KB and an automatically marked 20-question assessment."""
    questions = []
    for n in range(1, 21):
        if n % 2:
            questions.append(f"{n}.  Batch {n}: which grade is the critical zone?\n"
                             "    (x) Grade A\n    ( ) Grade B\n    ( ) Grade D\n")
        else:
            questions.append(f"{n}.  Yield of step {n} in %?\n    = 42 +- 0.5\n")
    text = module_text(random.Random(7), 0).replace("title: Module 0", "title: Final exam")
    return text.replace("```quiz\nid: check-0", "```quiz\nid: check-zero") + (
        f"\n```quiz\nid: {QUIZ}\ntitle: Final exam\npass_mark: 50%\nshow_answers: after_submit\n"
        + "".join(questions) + "```\n")


def write_course(root: Path, modules: int) -> Path:
    folder = root / COURSE
    folder.mkdir(parents=True)
    (folder / "course.md").write_text("---\ntitle: Benchmark course\nsummary: Generated for "
                                      "the load benchmark.\n---\nGenerated.\n")
    (folder / "01-final-exam.md").write_text(exam_text())
    rng = random.Random(20261122)
    for n in range(2, modules + 1):
        (folder / f"{n:02d}-module-{n}.md").write_text(module_text(rng, n))
    return folder


def _country(uid: int) -> str | None:
    return None if uid % 97 == 0 else COUNTRIES[(uid * 7) % len(COUNTRIES)]


@dataclass
class Generated:
    course_slug: str
    quiz_id: int
    learner_ids: list[int]
    submit_attempts: dict[int, list[int]]  # user id -> open attempt ids
    counts: dict[str, int]


def generate(root: Path, scale: Scale, now: datetime | None = None) -> Generated:
    """Import the shipped courses and the bench course, then add the learners' data."""
    now = now or datetime.now(UTC)
    shipped = Path(__file__).resolve().parents[1] / "courses"
    import_folders([shipped, write_course(root, scale.modules)], now=now)
    db.session.commit()
    course = db.session.scalar(select(Course).where(Course.slug == COURSE))
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == QUIZ))
    assert course is not None and quiz is not None
    modules = list(db.session.scalars(select(Module.id).where(Module.course_id == course.id)))
    questions = [QuestionRow(q.key, q.kind, q.prompt_html, q.points, q.answer_data)
                 for q in db.session.scalars(select(Question).where(Question.quiz_id == quiz.id)
                                             .order_by(Question.position))]
    snapshot = build_snapshot(questions, shuffle="none", pick=None, seed=1)
    # The first choice (Grade A) and 42: right answers, as a learner would send them.
    answers = {item["key"]: question_type(item["kind"]).parse(
        item["data"], ["0" if item["kind"] == "single" else "42"]) for item in snapshot}

    password_hash = hash_password(PASSWORD)
    first_id = (db.session.scalar(select(db.func.max(User.id))) or 0) + 1
    ids = list(range(first_id, first_id + scale.learners))
    counts = {"learners": insert_rows(User, ({
        "id": uid, "email": f"learner{uid}@bench.example.org", "name": f"Bench Learner {uid}",
        "password_hash": password_hash, "country": _country(uid), "organisation": "Bench",
        "organisation_type": ORGANISATION_TYPES[uid % len(ORGANISATION_TYPES)],
        "gender": GENDERS[uid % len(GENDERS)],
        "timezone": "UTC", "active": True, "created_at": now,
        # Confirmed, as accounts an administrator creates are: production settings keep
        # unconfirmed addresses out (REQUIRE_EMAIL_VERIFICATION).
        "email_verified_at": now} for uid in ids))}
    insert_rows(UserRole, ({"user_id": uid, "role": "learner"} for uid in ids))
    if db.engine.dialect.name == "postgresql":  # ids were given: move the sequence past them
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('users', 'id'), "
                                "(SELECT max(id) FROM users))"))
    counts["enrolments"] = insert_rows(Enrolment, ({
        "course_id": course.id, "user_id": uid, "status": "active", "requested_at": now,
        "enrolled_at": now, "decision_reason": "", "centre_id": course.centre_id}
        for uid in ids))
    counts["module_progress"] = insert_rows(ModuleProgress, ({
        "user_id": uid, "module_id": mid, "first_viewed_at": now, "completed_at": now,
        "completed_version": 1} for uid in ids for mid in modules))
    db.session.commit()

    max_score = sum(item["points"] for item in snapshot)
    graded = ids[:scale.graded_attempts]
    counts["graded_attempts"] = insert_rows(Attempt, ({
        "quiz_id": quiz.id, "user_id": uid, "number": 1, "state": "graded",
        "started_at": now - timedelta(minutes=30), "submitted_at": now, "finished_by": "learner",
        "snapshot": snapshot, "score": max_score * 0.8, "max_score": max_score,
        "percent": 80.0, "passed": True, "graded_at": now, "released_at": now} for uid in graded))
    attempt_ids = dict(db.session.execute(select(Attempt.user_id, Attempt.id).where(
        Attempt.quiz_id == quiz.id)).all())
    counts["answers"] = insert_rows(AnswerStep, ({
        "attempt_id": attempt_ids[uid], "question_key": key, "seq": 1, "answer": answer,
        "saved_at": now} for uid in graded for key, answer in answers.items()))

    # Open attempts with all answers saved, for the submit-and-grade scenario.
    submitters = ids[-scale.submit_users:]
    insert_rows(Attempt, ({
        "quiz_id": quiz.id, "user_id": uid, "number": 1 + n + (uid in graded),
        "state": "in_progress", "started_at": now, "finished_by": "", "snapshot": snapshot,
        "max_score": max_score} for uid in submitters for n in range(scale.open_per_user)))
    open_ids: dict[int, list[int]] = {uid: [] for uid in submitters}
    for uid, aid in db.session.execute(select(Attempt.user_id, Attempt.id).where(
            Attempt.quiz_id == quiz.id, Attempt.state == "in_progress").order_by(Attempt.id)):
        open_ids[uid].append(aid)
    insert_rows(AnswerStep, ({
        "attempt_id": aid, "question_key": key, "seq": 1, "answer": answer, "saved_at": now}
        for aids in open_ids.values() for aid in aids for key, answer in answers.items()))
    db.session.commit()
    counts.update(network.generate_network(scale.centres, scale.intakes, ids, course, now))
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # A live database has statistics (autovacuum keeps them); a bulk load has none yet.
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    return Generated(COURSE, quiz.id, ids, open_ids, counts)
