"""Attempts: snapshots, saving, stale saves, exactly-once submit, time limits, completion."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.content.models import Module, Quiz
from app.core.db import write_intent
from app.core.errors import DomainError, PermissionDenied
from app.extensions import db
from app.jobs import enqueue, queue_for
from app.learning.queries import course_view
from app.learning.rules import State
from app.learning.services import complete_module, enrol
from app.quizzes.models import AnswerStep, Attempt
from app.quizzes.rules import answers_visible
from app.quizzes.services import (
    SaveResult,
    StaleSave,
    finish_overdue_attempts,
    latest_answers,
    own_attempt,
    save_answers,
    start_attempt,
    submit_attempt,
)
from app.records.models import Event
from tests.conftest import choice_token, committed, login
from tests.course_files import EXAM_QUIZ, module_md


def start(people, clock, quiz):
    attempt = start_attempt(people["amina"], quiz, clock())
    db.session.commit()
    return attempt


def test_start_snapshots_the_questions_and_continues_the_open_attempt(
        quiz_course, people, clock) -> None:
    quiz = quiz_course()
    attempt = start(people, clock, quiz)
    assert attempt.number == 1 and attempt.state == "in_progress"
    assert [item["key"] for item in attempt.snapshot] == ["1", "2"]
    assert attempt.snapshot[0]["data"]["choices"][0]["correct"] is True
    assert start(people, clock, quiz).id == attempt.id


def test_shuffle_and_pick_are_stable_for_the_attempt(quiz_course, people, clock) -> None:
    quiz = quiz_course("shuffle: all\npick: 1")
    attempt = start(people, clock, quiz)
    assert len(attempt.snapshot) == 1 and attempt.max_score == 1
    db.session.expire_all()
    again = db.session.get(Attempt, attempt.id)
    assert again is not None and again.snapshot == attempt.snapshot


def test_saving_appends_steps_and_refuses_stale_saves(quiz_course, people, clock) -> None:
    amina = people["amina"]
    attempt = start(people, clock, quiz_course())
    save_answers(amina, attempt, {"1": [choice_token(attempt, "1", 1)]}, 1, clock())
    save_answers(amina, attempt, {"1": [choice_token(attempt, "1", 0)], "2": ["3520"]}, 2,
                 clock())
    with pytest.raises(StaleSave):
        save_answers(amina, attempt, {"1": [choice_token(attempt, "1", 1)]}, 1,
                     clock())  # an old tab
    db.session.commit()
    assert latest_answers(attempt) == {"1": {"choice": 0}, "2": {"value": "3520"}}
    assert db.session.scalar(select(func.count()).select_from(AnswerStep)) == 3
    save_answers(amina, attempt, {"2": ["lots"]}, 3, clock())  # unreadable is kept as typed
    assert latest_answers(attempt)["2"] == {"value": "lots"}


def test_submit_scores_passes_and_completes_the_module(quiz_course, people, clock) -> None:
    amina = people["amina"]
    attempt = start(people, clock, quiz_course())
    save_answers(amina, attempt, {"1": [choice_token(attempt, "1", 0)], "2": ["3 250"]}, 1,
                 clock())
    assert submit_attempt(amina, attempt, clock()) is True
    db.session.commit()
    assert (attempt.state, attempt.score, attempt.percent, attempt.passed) == (
        "graded", 1.0, 50.0, True)
    view = course_view("aseptic-basics", amina)
    assert view is not None and view.progress.states["aseptic"] == State.COMPLETE
    actions = db.session.scalars(select(Event.action).where(Event.learner_id == amina.id)
                                 .order_by(Event.seq)).all()
    assert actions[-4:] == ["attempt.submitted", "module.completed", "course.completed",
                            "certificate.issued"]
    with pytest.raises(DomainError, match="passed this assessment already"):
        start_attempt(amina, db.session.get_one(Quiz, attempt.quiz_id), clock())


def test_attempts_are_limited(quiz_course, people, clock) -> None:
    amina = people["amina"]
    quiz = quiz_course()
    for _ in range(2):
        attempt = start(people, clock, quiz)
        submit_attempt(amina, attempt, clock())
        db.session.commit()
        assert attempt.passed is False
    with pytest.raises(DomainError, match="used all your attempts"):
        start_attempt(amina, quiz, clock())


def test_parallel_submits_give_one_result(app, quiz_course, people, clock) -> None:
    attempt = start(people, clock, quiz_course())
    attempt_id, learner_id, moment = attempt.id, people["amina"].id, clock()
    db.session.close()
    wins: list[bool] = []
    errors: list[BaseException] = []
    gate = threading.Barrier(8)

    def submit() -> None:
        try:
            with app.app_context():
                gate.wait()
                write_intent.set(True)  # as a POST request: the transaction starts writing
                learner = db.session.get_one(User, learner_id)
                mine = db.session.get_one(Attempt, attempt_id)
                wins.append(submit_attempt(learner, mine, moment))
                db.session.commit()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(wins) == [False] * 7 + [True]
    submitted = db.session.scalars(select(Event).where(
        Event.action == "attempt.submitted")).all()
    assert len(submitted) == 1


def test_an_overdue_attempt_is_finished_with_its_saved_answers(quiz_course, people,
                                                               clock) -> None:
    amina = people["amina"]
    attempt = start(people, clock, quiz_course("time_limit: 20 min"))
    deadline = attempt.deadline_at
    assert deadline is not None
    save_answers(amina, attempt, {"1": [choice_token(attempt, "1", 0)]}, 1,
                 clock.advance(minutes=5))
    db.session.commit()
    clock.advance(minutes=30)
    late = save_answers(amina, attempt, {"2": ["3520"]}, 2, clock())
    assert late == SaveResult([], finished=True, finished_by="server")
    db.session.commit()
    assert (attempt.state, attempt.finished_by, attempt.submitted_at) == (
        "graded", "server", deadline)
    assert attempt.score == 1.0  # only the answer saved before the deadline


@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_an_overdue_save_finishes_the_attempt_and_says_so(client, quiz_course, people, clock,
                                                          accept: str) -> None:
    attempt = start(people, clock, quiz_course("time_limit: 20 min"))
    login(client, "amina@example.org")
    clock.advance(minutes=30)
    late = client.post(f"/quizzes/attempts/{attempt.id}/save", data={"seq": 1, "q-2": "3520"},
                       headers={"Accept": accept})
    if accept == "application/json":
        assert late.status_code == 409 and late.json["finished"] is True
        assert "time limit has passed" in late.json["error"]
    else:
        assert late.headers["Location"].endswith(f"/quizzes/attempts/{attempt.id}/review")
        assert "time limit has passed" in client.get(late.headers["Location"]).text
    # The finish is committed with the 409 all the same; the late answer is not saved.
    assert committed(select(Attempt.finished_by).where(Attempt.id == attempt.id)) == "server"
    assert committed(select(func.count()).select_from(AnswerStep)) == 0


def test_the_timer_command_finishes_overdue_attempts(quiz_course, people, clock,
                                                     runner) -> None:
    attempt = start(people, clock, quiz_course("time_limit: 10 min"))
    clock.advance(minutes=11)
    assert finish_overdue_attempts(clock()) == 1
    db.session.commit()
    assert attempt.state == "graded"
    result = runner.invoke(args=["quizzes", "finish-overdue"])
    assert "0 overdue attempts finished." in result.output


def test_the_worker_finishes_overdue_attempts_every_minute(app, quiz_course, people,
                                                           clock) -> None:
    attempt = start(people, clock, quiz_course("time_limit: 10 min"))
    db.session.commit()
    clock.advance(minutes=11)
    queue = queue_for(app)
    queue.huey.immediate = True
    enqueue("quizzes.finish_overdue")  # as the worker runs it, in an app context of its own
    assert committed(select(Attempt.finished_by).where(Attempt.id == attempt.id)) == "server"


def test_nobody_touches_another_learners_attempt(quiz_course, people, clock) -> None:
    attempt = start(people, clock, quiz_course())
    kim = people["kim"]
    with pytest.raises(PermissionDenied):
        own_attempt(kim, attempt.id)
    with pytest.raises(PermissionDenied):
        save_answers(kim, attempt, {"1": ["0"]}, 9, clock())
    with pytest.raises(PermissionDenied):
        submit_attempt(kim, attempt, clock())


@pytest.mark.parametrize(("policy", "passed", "left", "shown"), [
    ("never", True, 0, False),
    ("after_submit", False, 2, True),
    ("after_pass", False, 2, False),
    ("after_pass", True, 2, True),
    ("after_last_attempt", False, 1, False),
    ("after_last_attempt", False, 0, True),
    ("after_last_attempt", None, None, False),
])
def test_answers_visible_policy(policy: str, passed: bool | None, left: int | None,
                                shown: bool) -> None:
    assert answers_visible(policy, finished=True, passed_now=passed,
                           attempts_left=left) is shown
    assert answers_visible(policy, finished=False, passed_now=passed,
                           attempts_left=left) is False


def test_locked_modules_cannot_start_quizzes(app, people, clock, import_files) -> None:
    """The service works the lock out itself: no caller can say the module is open."""
    course = import_files({"01-intro.md": module_md("Intro"), "02-aseptic.md": module_md(
        "Aseptic", extra="prerequisites: [intro]\n", body=EXAM_QUIZ.format(
            slug="aseptic-check", extra=""))})
    amina = people["amina"]
    enrol(amina, course, clock())
    quiz = db.session.scalar(select(Quiz))
    assert quiz is not None
    with pytest.raises(DomainError, match="locked"):
        start_attempt(amina, quiz, clock())
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0
    complete_module(amina, db.session.scalars(select(Module).where(Module.slug == "intro")
                                              ).one(), clock())
    assert start_attempt(amina, quiz, clock()).number == 1
