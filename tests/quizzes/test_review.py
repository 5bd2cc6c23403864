"""The review page: the learner's own answers beside the right ones, as the quiz allows, by
the choices' text and never their tokens; an essay in full beside its released grades."""

from __future__ import annotations

from sqlalchemy import select

from app.content.models import Module, Quiz
from app.extensions import db
from app.grading.services import EssayGrade, grade_attempt, release_grades
from app.learning.services import complete_module, enrol
from app.quizzes.models import Attempt
from app.quizzes.services import latest_answers, save_answers, start_attempt, submit_attempt
from tests.conftest import DEFAULT_PASSWORD, choice_token, count_queries, login

ESSAY = ("The lot 24-117 was filled after the filter integrity test passed, but the "
         "endotoxin result of the bulk was above the limit. ") * 3


def _ready(people, course, clock, *done: str) -> None:
    """Amina enrolled, with the modules named complete."""
    amina = people["amina"]
    enrol(amina, course, clock())
    modules = {m.slug: m for m in db.session.scalars(select(Module))}
    for slug in done:
        complete_module(amina, modules[slug], clock())
    db.session.commit()


def _finished(people, clock, quiz_slug: str, answers: dict) -> Attempt:
    """An attempt at the quiz with these answers (values by choice index or text), submitted."""
    amina = people["amina"]
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == quiz_slug))
    assert quiz is not None
    attempt = start_attempt(amina, quiz, clock())
    raw = {}
    for key, value in answers.items():
        item = next(item for item in attempt.snapshot if item["key"] == key)
        if "choice_tokens" in item:
            indexes = value if isinstance(value, list) else [value]
            raw[key] = [choice_token(attempt, key, index) for index in indexes]
        else:
            raw[key] = [value]
    save_answers(amina, attempt, raw, 1, clock())
    submit_attempt(amina, attempt, clock())
    db.session.commit()
    return attempt


# Every question wrong: the assessment is not passed, and show_answers is "after_pass".
WRONG = {"iq-definition": 0, "urs-properties": [0], "rpn-calc": "15",
         "qrm-guideline": "ICH Q10", "q9-principle": 1}
RIGHT_TEXTS = ("Installation qualification (IQ)", "Testable", "Unambiguous", ">96<",
               "ICH Q9", ">True<", "Right answer", "The scores are multiplied")


def test_the_review_shows_own_answers_and_no_key_while_answers_are_hidden(
        client, gxp_course, people, clock) -> None:
    _ready(people, gxp_course, clock, "why-gxp", "good-documentation-practice")
    attempt = _finished(people, clock, "validation-assessment", WRONG)
    assert attempt.passed is False
    login(client, "amina@example.org")
    html = client.get(f"/quizzes/attempts/{attempt.id}/review").get_data(as_text=True)
    assert html.count("Your answer") == len(attempt.snapshot)
    for own in ("Design qualification (DQ)", "Written by the vendor after installation",
                ">15<", "ICH Q10", ">False<"):
        assert own in html, own
    for key in RIGHT_TEXTS:
        assert key not in html, key
    for item in attempt.snapshot:
        for token in item.get("choice_tokens", []):
            assert token not in html
    assert "not shown for this quiz until you pass" in html


def test_the_review_shows_the_right_answer_beside_a_wrong_one_once_allowed(
        client, gxp_course, people, clock) -> None:
    _ready(people, gxp_course, clock, "why-gxp", "good-documentation-practice")
    attempt = _finished(people, clock, "validation-assessment", {
        "iq-definition": 1, "urs-properties": [1], "rpn-calc": "96",
        "qrm-guideline": "q9", "q9-principle": 0})
    assert attempt.passed is True
    login(client, "amina@example.org")
    with count_queries() as statements:
        html = client.get(f"/quizzes/attempts/{attempt.id}/review").get_data(as_text=True)
    assert len(statements) <= 9, statements  # none per question
    assert html.count("Your answer") == 5 and html.count("Right answer") == 1
    # Testable alone earns half: the right answer names both, beside the learner's own.
    assert "Testable; Unambiguous" in html and ">Testable<" in html
    assert ">q9<" in html and "ICH Q9 makes effort commensurate" in html
    for item in attempt.snapshot:
        for token in item.get("choice_tokens", []):
            assert f'"{token}"' not in html


def test_an_essay_is_shown_in_full_and_its_grades_once_released(client, gxp, people,
                                                                clock) -> None:
    amina = people["amina"]
    modules = {m.slug: m for m in db.session.scalars(select(Module))}
    for slug in ("why-gxp", "good-documentation-practice"):
        complete_module(amina, modules[slug], clock())
    complete_module(amina, modules["validation-basics"], clock(), via="assessment")
    db.session.commit()
    attempt = _finished(people, clock, "deviation-report", {"2": ESSAY, "1": 0})
    assert attempt.state == "awaiting_grading"
    login(client, "amina@example.org")
    html = client.get(f"/quizzes/attempts/{attempt.id}/review").get_data(as_text=True)
    assert ESSAY.strip() in html
    assert "feedback appears here once it is released" in html
    assert "factual and assumes no cause" not in html  # the rubric waits for the release

    grade_attempt(people["ivan"], attempt, {"2": EssayGrade([3, 1], ["Clear", "Only this lot"],
                                                      "Name the other lots.")}, clock())
    release_grades(people["ivan"], [attempt], password=DEFAULT_PASSWORD, now=clock())
    db.session.commit()
    html = client.get(f"/quizzes/attempts/{attempt.id}/review").get_data(as_text=True)
    assert ESSAY.strip() in html
    assert "Name the other lots." in html and "Only this lot" in html
    assert "The statement is factual and assumes no cause: 3 / 3" in html
    assert latest_answers(attempt)["2"]["text"] == ESSAY
