"""Grading at speed: a criterion's levels as radio buttons, the answer's length, the
question numbers the learner saw, and "Save and next" through the queue's order."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.content.models import Quiz
from app.extensions import db
from app.grading.rules import question_numbers, rubric_levels
from app.grading.services import EssayGrade, grade_attempt, next_to_grade
from app.learning.services import assign_staff, enrol
from app.quizzes.models import Attempt
from app.quizzes.services import save_answers, start_attempt, submit_attempt
from tests.conftest import choice_token, login
from tests.course_files import ESSAY_QUIZ, module_md


def test_levels_are_the_whole_points_and_the_top() -> None:
    assert rubric_levels(4) == [0, 1, 2, 3, 4]
    assert rubric_levels(2.5) == [0, 1, 2, 2.5]
    assert rubric_levels(0.5) == [0, 0.5]
    assert rubric_levels(3, kept=1.5) == [0, 1, 1.5, 2, 3]  # a grade typed before stays
    assert rubric_levels(3, kept=2) == [0, 1, 2, 3]
    assert rubric_levels(3, kept=7) == [0, 1, 2, 3]  # off the scale: not offered


def test_numbers_follow_the_attempts_own_order() -> None:
    assert question_numbers([{"key": "b"}, {"key": "a"}, {"key": "c"}]) == {
        "b": 1, "a": 2, "c": 3}


@pytest.fixture
def scripts(app, clock, import_files, people, make_user) -> list[Attempt]:
    """Four learners' attempts, submitted an hour apart, in a course Ivan assesses."""
    course = import_files({"01-report.md": module_md("Report", body=ESSAY_QUIZ)})
    assign_staff(people["grace"], course, people["ivan"], "assessor", clock())
    quiz = db.session.scalars(select(Quiz)).one()
    attempts = []
    for n in range(4):
        learner = make_user(f"learner{n}@example.org", name=f"Learner {n}")
        enrol(learner, course, clock())
        attempt = start_attempt(learner, quiz, clock())
        save_answers(learner, attempt, {"1": [choice_token(attempt, "1", 0)],
                                        "2": ["I tell QA at once, in writing."]}, 1, clock())
        submit_attempt(learner, attempt, clock.advance(hours=1))
        attempts.append(attempt)
    db.session.commit()
    return attempts


def test_next_follows_the_queue_and_wraps_round(scripts, people, clock) -> None:
    ivan, ids = people["ivan"], [a.id for a in scripts]
    assert next_to_grade(ivan, scripts[0]) == ids[1]
    assert next_to_grade(ivan, scripts[3]) == ids[0]  # the last one: back to the top
    grade_attempt(ivan, scripts[1], {"2": EssayGrade([4, 2], ["", ""])}, clock())
    assert next_to_grade(ivan, scripts[0]) == ids[2]  # graded ones are no longer waiting
    assert next_to_grade(people["olu"], scripts[0]) is None  # assesses no course
    assert next_to_grade(people["grace"], scripts[0]) == ids[2]  # administrators: all


def _grade(client, attempt_id: int, then: str | None = "next"):
    data = {"points-2-0": "3", "points-2-1": "2", **({"then": then} if then else {})}
    return client.post(f"/grading/attempts/{attempt_id}", data=data)


def test_the_page_offers_levels_words_and_the_learners_numbers(client, scripts) -> None:
    login(client, "ivan@example.org")
    page = client.get(f"/grading/attempts/{scripts[0].id}").get_data(as_text=True)
    assert len(re.findall(r'type="radio" name="points-2-0"', page)) == 5  # 0 to 4
    assert len(re.findall(r'type="radio" name="points-2-1"', page)) == 3  # 0 to 2
    assert 'type="number"' not in page
    assert "7 words" in page and "Question 2" in page
    assert "Skip to the learner's answer" in page and 'id="answer-2"' in page
    assert "Rubric total: <output data-total" in page


def test_save_and_next_walks_the_queue(client, scripts) -> None:
    login(client, "ivan@example.org")
    saved = _grade(client, scripts[1].id)
    assert saved.headers["Location"] == f"/grading/attempts/{scripts[2].id}"
    assert _grade(client, scripts[3].id).headers["Location"] \
        == f"/grading/attempts/{scripts[0].id}"  # wraps round to the oldest left
    assert _grade(client, scripts[0].id).headers["Location"] \
        == f"/grading/attempts/{scripts[2].id}"
    assert _grade(client, scripts[2].id, then=None).headers["Location"] == "/grading/"
    assert _grade(client, scripts[2].id).headers["Location"] == "/grading/"  # none left
    page = client.get("/grading/").get_data(as_text=True)
    assert "No other script waits for a grade." in page
    graded = db.session.scalars(select(Attempt).where(Attempt.state == "graded")).all()
    assert len(graded) == 4
    again = client.get(f"/grading/attempts/{scripts[2].id}").get_data(as_text=True)
    assert 'value="3" data-points="3" checked' in again  # a saved grade opens as saved
    assert '<output data-total aria-live="polite">5</output>' in again
