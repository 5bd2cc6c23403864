"""The four tamperings of issue 14, tried on a database with real training records, each
caught by `flask records verify`; and the same records reconciling cleanly untouched."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from app.auth.models import UserRole
from app.auth.services import set_active, set_roles
from app.certificates.services import revoke_certificate
from app.content.importer import import_courses
from app.content.loader import load_courses
from app.content.models import Course, Quiz
from app.core.roles import Role
from app.extensions import db
from app.grading.services import EssayGrade, grade_attempt, release_grades
from app.learning.services import assign_staff, enrol
from app.quizzes.models import Attempt
from app.quizzes.services import save_answers, start_attempt, submit_attempt
from app.records.models import Event
from app.records.services import event_hash
from tests.blended import Gxp
from tests.certificates.test_certificates import finish_gxp
from tests.conftest import DEFAULT_PASSWORD, append_only_guard_lifted, choice_token
from tests.course_files import QUIZ, module_md
from tests.grading.test_grading import ESSAY_QUIZ

# Each tampering's verify output, for the record (shown with `pytest -s`).
OUTPUTS: dict[str, str] = {}


@dataclass(frozen=True)
class Records:
    kim_id: int


@pytest.fixture
def records(gxp: Gxp, people, clock, write_course) -> Records:
    """A certificate (issued, then revoked), attendance, a signed practical, an essay graded
    and released under signature, an automatically marked quiz, a role change and a
    deactivation: every kind of governed row."""
    amina, kim, ivan, grace = gxp.learners[0], gxp.learners[1], gxp.instructor, gxp.admin
    certificate = finish_gxp(gxp, amina, clock)
    revoke_certificate(grace, certificate, "Issued in error", clock())
    folder = write_course({"01-report.md": module_md("Report", body=ESSAY_QUIZ),
                           "02-check.md": module_md("Check", body=QUIZ.format(
                               quiz_id="check"))})
    courses, _ = load_courses([folder])
    import_courses(courses, now=clock())
    basics = db.session.scalar(select(Course).where(Course.slug == "aseptic-basics"))
    assert basics is not None
    assign_staff(grace, basics, ivan, "assessor", clock())
    enrol(kim, basics, clock())
    quizzes = {q.slug: q for q in db.session.scalars(select(Quiz).where(
        Quiz.course_id == basics.id))}
    essay, check = quizzes.get("deviation-report"), quizzes.get("check")
    assert essay is not None and check is not None
    attempt = start_attempt(kim, essay, clock())
    save_answers(kim, attempt, {"1": [choice_token(attempt, "1", 0)],
                                 "2": ["I tell QA at once."]}, 1, clock())
    submit_attempt(kim, attempt, clock())
    grade_attempt(ivan, attempt, {"2": EssayGrade([4, 1], ["Good", ""])}, clock())
    release_grades(ivan, [attempt], password=DEFAULT_PASSWORD, now=clock())
    quick = start_attempt(kim, check, clock())
    save_answers(kim, quick, {"1": [choice_token(quick, "1", 1)], "2": ["3520"]}, 1, clock())
    submit_attempt(kim, quick, clock())
    set_roles(grace, ivan, [Role.INSTRUCTOR, Role.ASSESSOR, Role.LEARNER], clock(),
              reason="Takes the refresher")
    set_active(grace, people["olu"], False, clock(), reason="Left")
    kept = Records(kim.id)
    db.session.commit()
    db.session.close()
    return kept


def verify(runner, *args: str):
    db.session.close()  # the command's own transaction, as in a fresh process
    return runner.invoke(args=["records", "verify", *args])


def test_untouched_records_reconcile(records, runner) -> None:
    result = verify(runner)
    assert result.exit_code == 0, result.output
    assert "Records reconciled with the events: users, enrolments, module_progress, " \
           "attempts, question_grades, practical_assessments, certificates, attendance; " \
           "no differences." in result.output
    governed = {table: db.session.scalar(sa.select(sa.func.count()).select_from(
        sa.table(table))) for table in ("users", "enrolments", "module_progress", "attempts",
                                        "question_grades", "practical_assessments",
                                        "certificates", "attendance")}
    assert all(governed.values()), governed  # every book had rows to check


def test_1_dropping_the_triggers_and_deleting_the_newest_events(records, runner) -> None:
    end = db.session.scalar(select(sa.func.max(Event.seq)))
    assert end is not None
    with append_only_guard_lifted(), db.engine.begin() as conn:
        conn.execute(sa.delete(Event).where(Event.seq > end - 3))
    result = verify(runner)
    OUTPUTS["1"] = result.output
    assert result.exit_code == 1
    assert f"but the chain ends at number {end - 3}: events {end - 2} to {end} are missing " \
           "from the database (truncated)" in result.output


def test_2_rewriting_an_event_and_recomputing_later_hashes(records, runner) -> None:
    with append_only_guard_lifted():
        target = db.session.scalar(select(Event).where(Event.action == "attempt.submitted")
                                   .order_by(Event.seq.desc()).limit(1))
        assert target is not None
        target.details = {**target.details, "score": 2.0, "percent": 100.0}
        seq, previous = target.seq, target.prev_hash
        for event in db.session.scalars(select(Event).where(Event.seq >= target.seq)
                                        .order_by(Event.seq)):
            event.prev_hash, event.hash = previous, ""
            event.hash = previous = event_hash(event)
        db.session.commit()
    result = verify(runner)
    OUTPUTS["2"] = result.output
    assert result.exit_code == 1
    assert f"(number {seq}): its content does not match its hash (altered)" \
        in result.output
    assert "(rewritten)" in result.output  # the anchor holds the true links


def test_3_adding_an_admin_row_to_user_roles(records, runner) -> None:
    with db.engine.begin() as conn:
        conn.execute(sa.insert(UserRole).values(user_id=records.kim_id, role="admin"))
    result = verify(runner)
    OUTPUTS["3"] = result.output
    assert result.exit_code == 1
    assert "Audit chain verified" in result.output  # the chain itself is untouched
    assert f"users {records.kim_id}: roles is [admin, learner], the events say [learner]" \
        in result.output


def test_4_setting_attempt_scores_to_100(records, runner) -> None:
    attempts = db.session.execute(select(Attempt.id, Attempt.score).order_by(Attempt.id)).all()
    with db.engine.begin() as conn:
        conn.execute(sa.update(Attempt).values(score=100))
    result = verify(runner)
    OUTPUTS["4"] = result.output
    assert result.exit_code == 1
    for attempt_id, score in attempts:
        assert f"attempts {attempt_id}: score is 100, the events say {score:g}" \
            in result.output
    assert f"{len(attempts)} rows differ from what the events say." in result.output


@pytest.fixture(scope="module", autouse=True)
def _print_outputs():
    yield
    for name, output in sorted(OUTPUTS.items()):
        print(f"\n--- tampering {name}: records verify said ---\n{output}")
