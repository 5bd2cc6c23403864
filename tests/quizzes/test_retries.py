"""The exam's writes are safe to receive twice, which lets a proxy retry them on another
node (deploy/nginx/trainhub.conf, `non_idempotent` for save and submit only): a save sent
again under the same counter with the same answers is acknowledged with the first one's
answer, and a submit sent again redirects to the same result, with one grade and one
event. Twice in a row, and twice at once from two threads."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.auth.models import User
from app.core.db import write_intent
from app.extensions import db
from app.quizzes.models import AnswerStep, Attempt
from app.quizzes.rules import as_stored, sent_again
from app.quizzes.services import (
    SaveResult,
    StaleSave,
    answer_sheet,
    save_answers,
    start_attempt,
)
from app.records.models import Event
from tests.conftest import choice_token, committed, login


@pytest.fixture
def attempt(quiz_course, people, clock) -> Attempt:
    """Amina's open attempt at the two-question quiz (tests/quizzes/conftest.py), committed."""
    started = start_attempt(people["amina"], quiz_course(), clock())
    db.session.commit()
    return started


def steps_at(attempt_id: int) -> list[tuple[str, int]]:
    with db.engine.connect() as connection:
        return sorted((row.question_key, row.seq) for row in connection.execute(
            select(AnswerStep.question_key, AnswerStep.seq)
            .where(AnswerStep.attempt_id == attempt_id)))


def submitted_events(attempt_id: int) -> int:
    return committed(select(func.count()).select_from(Event).where(
        Event.action == "attempt.submitted", Event.subject_id == str(attempt_id)))


# --- the rule ------------------------------------------------------------------------------


def test_a_save_is_sent_again_only_with_the_same_counter_questions_and_answers() -> None:
    stored = {"1": (4, {"choice": 0}), "2": (4, {"value": "3520"})}
    given = {"1": {"choice": 0}, "2": {"value": "3520"}}
    assert sent_again(stored, given, 4)
    assert not sent_again({}, given, 4)  # nothing stored: a new save
    assert not sent_again(stored, {**given, "2": {"value": "12"}}, 4)  # other answers
    assert not sent_again(stored, {"1": {"choice": 0}}, 4)  # other questions
    assert not sent_again({**stored, "2": (5, {"value": "3520"})}, given, 4)  # a newer one
    assert not sent_again(stored, given, 3)  # an older page's counter


def test_an_answer_is_compared_as_its_column_gives_it_back() -> None:
    assert as_stored({"choices": (0, 2), "value": 1.5}) == {"choices": [0, 2], "value": 1.5}


# --- the service ---------------------------------------------------------------------------


def test_a_save_received_twice_gives_the_first_result_and_stores_once(
        attempt: Attempt, people, clock) -> None:
    amina = people["amina"]
    answers = {"1": [choice_token(attempt, "1", 0)], "2": ["3520"]}
    first = save_answers(amina, attempt, answers, 3, clock())
    db.session.commit()
    first_at = clock()
    clock.advance(seconds=20)  # the proxy's retry comes later
    again = save_answers(amina, attempt, answers, 3, clock())
    db.session.commit()
    assert again == first == SaveResult(["1", "2"], saved_at=first_at)
    assert steps_at(attempt.id) == [("1", 3), ("2", 3)]


def test_a_refused_answer_is_refused_again_and_the_others_acknowledged(
        attempt: Attempt, people, clock) -> None:
    amina = people["amina"]
    answers = {"1": ["not-a-token"], "2": ["3520"]}
    first = save_answers(amina, attempt, answers, 2, clock())
    db.session.commit()
    again = save_answers(amina, attempt, answers, 2, clock.advance(seconds=5))
    assert again == first and first.saved == ["2"] and set(first.refused) == {"1"}
    assert steps_at(attempt.id) == [("2", 2)]


@pytest.mark.parametrize("other", [
    {"2": ["12"]},  # the same counter, another answer: a conflict
    {"1": ["token"], "2": ["3520"]},  # the same counter, more questions
])
def test_the_same_counter_with_other_answers_stays_stale(attempt: Attempt, people, clock,
                                                         other: dict[str, list[str]]) -> None:
    amina = people["amina"]
    save_answers(amina, attempt, {"2": ["3520"]}, 2, clock())
    db.session.commit()
    if "1" in other:
        other = {**other, "1": [choice_token(attempt, "1", 1)]}
    with pytest.raises(StaleSave):
        save_answers(amina, attempt, other, 2, clock())
    with pytest.raises(StaleSave):  # and a lower counter, as before
        save_answers(amina, attempt, {"2": ["3520"]}, 1, clock())
    assert steps_at(attempt.id) == [("2", 2)]


# --- twice at once -------------------------------------------------------------------------


@contextmanager
def arriving_together(app: Flask, attempt_id: int, count: int) -> Iterator[None]:
    """Make `count` requests about to start in the block meet at the attempt: on
    PostgreSQL its row is held locked until all of them wait for it (then they go on, as a
    retry arriving while the first is still running does); SQLite's writers take turns at
    BEGIN whatever happens, so there they are only started together."""
    if db.engine.dialect.name != "postgresql":
        yield
        return
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.connect() as holder:
            holder.execute(sa.text("SELECT id FROM attempts WHERE id = :id FOR UPDATE"),
                           {"id": attempt_id})
            yield
            # Asked on a connection of its own each time: a transaction sees one snapshot
            # of pg_stat_activity, however long it waits.
            waiting = ("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                       "current_database() AND wait_event_type = 'Lock'")
            deadline = time.monotonic() + 20
            while True:
                with engine.connect() as watcher:
                    if watcher.exec_driver_sql(waiting).scalar_one() >= count:
                        break
                assert time.monotonic() < deadline, "the requests never reached the attempt"
                time.sleep(0.01)
            holder.rollback()
    finally:
        engine.dispose()


def at_once(app: Flask, attempt_id: int, actions: list[Callable[[], Any]]) -> list[Any]:
    """Each action in a thread of its own, all arriving at the attempt together; their
    results in order."""
    results: list[Any] = [None] * len(actions)
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            results[n] = actions[n]()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(actions))]
    with arriving_together(app, attempt_id, len(actions)):
        for thread in threads:
            thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == [] and not any(thread.is_alive() for thread in threads)
    return results


def test_a_save_received_twice_at_once_is_stored_once(app: Flask, attempt: Attempt, people,
                                                     clock) -> None:
    answers = {"1": [choice_token(attempt, "1", 0)], "2": ["3520"]}
    attempt_id, learner_id = attempt.id, people["amina"].id
    db.session.close()

    def save() -> SaveResult:
        with app.app_context():
            write_intent.set(True)  # as a POST: the transaction writes
            learner = db.session.get_one(User, learner_id)
            result = save_answers(learner, answer_sheet(learner, attempt_id), answers, 4,
                                  clock())
            db.session.commit()
            return result

    first, second = at_once(app, attempt_id, [save, save])
    assert first == second and first.saved == ["1", "2"]
    assert steps_at(attempt_id) == [("1", 4), ("2", 4)]


# --- through the routes --------------------------------------------------------------------


def logged_in(app: Flask) -> FlaskClient:
    client = app.test_client()
    login(client, "amina@example.org")
    return client


def body(response: Any) -> Any:
    data = response.get_json()
    assert isinstance(data, dict), response.text
    return data


def form(attempt: Attempt, seq: int) -> dict[str, str]:
    return {"seq": str(seq), "q-1": choice_token(attempt, "1", 0), "q-1-present": "1",
            "q-2": "3520", "q-2-present": "1"}


@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_an_autosave_sent_twice_gets_the_same_answer(app: Flask, attempt: Attempt, clock,
                                                     accept: str) -> None:
    client = logged_in(app)
    url = f"/quizzes/attempts/{attempt.id}/save"
    first = client.post(url, data=form(attempt, 5), headers={"Accept": accept})
    first_page = client.get(f"/quizzes/attempts/{attempt.id}").text
    clock.advance(minutes=2)  # the retry's clock is later: the answer still names the first
    again = client.post(url, data=form(attempt, 5), headers={"Accept": accept})
    again_page = client.get(f"/quizzes/attempts/{attempt.id}").text
    assert (again.status_code, again.headers.get("Location")) == (
        first.status_code, first.headers.get("Location"))
    if accept == "application/json":
        assert first.status_code == 200
        assert body(again) == body(first) == {"saved": ["1", "2"], "saved_at": "09:00"}
    else:
        assert first.status_code == 302
        assert "Your answers are saved (at 09:00 your time)." in again_page
        assert "Your answers are saved (at 09:00 your time)." in first_page
    assert steps_at(attempt.id) == [("1", 5), ("2", 5)]
    other = client.post(url, data={**form(attempt, 5), "q-2": "12"},
                        headers={"Accept": "application/json"})
    assert other.status_code == 409 and "newer answer" in body(other)["error"]
    assert body(other)["stale"] is True  # autosave.js sends an overtaken save's questions on


def test_a_submit_sent_twice_redirects_to_the_same_result(app: Flask, attempt: Attempt,
                                                          clock) -> None:
    client = logged_in(app)
    url = f"/quizzes/attempts/{attempt.id}/submit"
    first = client.post(url, data=form(attempt, 6))
    graded = committed(select(Attempt.graded_at).where(Attempt.id == attempt.id))
    clock.advance(seconds=30)
    again = client.post(url, data=form(attempt, 6))
    assert (again.status_code, again.headers["Location"]) == (
        first.status_code, first.headers["Location"])
    assert first.headers["Location"].endswith(f"/quizzes/attempts/{attempt.id}/review")
    assert committed(select(Attempt.graded_at).where(Attempt.id == attempt.id)) == graded
    assert submitted_events(attempt.id) == 1
    assert steps_at(attempt.id) == [("1", 6), ("2", 6)]
    review = client.get(again.headers["Location"])
    assert review.status_code == 200 and "Score:" in review.text


def test_an_autosave_after_the_submit_says_the_attempt_is_finished(app: Flask,
                                                                   attempt: Attempt) -> None:
    client = logged_in(app)
    client.post(f"/quizzes/attempts/{attempt.id}/submit", data=form(attempt, 1))
    late = client.post(f"/quizzes/attempts/{attempt.id}/save", data=form(attempt, 2),
                       headers={"Accept": "application/json"})
    assert late.status_code == 409 and body(late)["finished"] is True
    assert "can no longer change" in body(late)["error"]
    assert steps_at(attempt.id) == [("1", 1), ("2", 1)]


@pytest.mark.parametrize("action", ["save", "submit"])
def test_an_exam_write_sent_twice_at_once_has_one_effect(app: Flask, attempt: Attempt,
                                                         action: str) -> None:
    # One log-in session, as the browser's request and the proxy's copy of it carry.
    clients = [logged_in(app), app.test_client()]
    cookie = clients[0].get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    clients[1].set_cookie(cookie.key, cookie.value)
    attempt_id, data = attempt.id, form(attempt, 7)
    db.session.close()
    headers = {"Accept": "application/json"} if action == "save" else {}

    def post(client: FlaskClient) -> tuple[int, str | None, Any]:
        response = client.post(f"/quizzes/attempts/{attempt_id}/{action}", data=data,
                               headers=headers)
        return (response.status_code, response.headers.get("Location"),
                body(response) if action == "save" else None)

    answers = at_once(app, attempt_id, [lambda: post(clients[0]), lambda: post(clients[1])])
    assert answers[0] == answers[1]
    assert answers[0][0] == (200 if action == "save" else 302)
    assert steps_at(attempt_id) == [("1", 7), ("2", 7)]
    assert submitted_events(attempt_id) == (1 if action == "submit" else 0)
