"""`pick: N per objective`: the draw (a pure rule), attempts drawn from stored questions,
attempts in progress keeping their questions, and learner pages that never show objectives."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

import pytest
from flask import url_for
from sqlalchemy import select

from app.content.models import Quiz
from app.extensions import db
from app.learning.services import enrol
from app.quizzes.rules import QuestionRow, build_snapshot
from app.quizzes.services import start_attempt
from tests.conftest import login
from tests.course_files import module_md

# Groups of 3, 4 and 2 questions, interleaved as authors write them.
GROUPS = ["m/yield", "m/yield", "m/grade", "m/yield", "m/grade", "m/records", "m/grade",
          "m/records", "m/grade"]


def rows(groups: Sequence[str | None] = GROUPS) -> list[QuestionRow]:
    return [QuestionRow(str(n), "numeric", f"<p>Q{n}</p>", 1.0, {"numeric_answers": []}, group)
            for n, group in enumerate(groups, start=1)]


def keys(snapshot: list[dict]) -> list[str]:
    return [item["key"] for item in snapshot]


def group_of(key: str) -> str | None:
    return GROUPS[int(key) - 1]


@pytest.mark.parametrize("per_group", [1, 2])
def test_every_group_gives_exactly_n_whatever_the_seed(per_group: int) -> None:
    drawn_keys: set[str] = set()
    for seed in range(200):
        snapshot = build_snapshot(rows(), shuffle="none", pick=per_group, seed=seed,
                                  per_objective=True)
        assert Counter(group_of(key) for key in keys(snapshot)) == {
            "m/yield": per_group, "m/grade": per_group, "m/records": per_group}
        # Without shuffle the questions keep the order of the file.
        assert keys(snapshot) == sorted(keys(snapshot), key=int)
        drawn_keys.update(keys(snapshot))
    assert drawn_keys == {str(n) for n in range(1, 10)}  # any question can be drawn


def test_the_same_seed_draws_the_same_questions() -> None:
    first = build_snapshot(rows(), shuffle="all", pick=1, seed=42, per_objective=True)
    again = build_snapshot(rows(), shuffle="all", pick=1, seed=42, per_objective=True)
    assert keys(first) == keys(again)
    assert [item["choice_order"] for item in first] == [item["choice_order"] for item in again]
    draws = {tuple(keys(build_snapshot(rows(), shuffle="none", pick=1, seed=seed,
                                       per_objective=True))) for seed in range(30)}
    assert len(draws) > 1


def test_shuffle_still_orders_the_drawn_questions() -> None:
    in_file_order = []
    for seed in range(30):
        snapshot = build_snapshot(rows(), shuffle="questions", pick=2, seed=seed,
                                  per_objective=True)
        unshuffled = build_snapshot(rows(), shuffle="none", pick=2, seed=seed,
                                    per_objective=True)
        # The same questions are drawn, then shuffled with the same generator.
        assert sorted(keys(snapshot), key=int) == keys(unshuffled)
        in_file_order.append(keys(snapshot) == keys(unshuffled))
    assert not all(in_file_order)


def test_a_plain_pick_draws_as_it_always_did() -> None:
    """Plain `pick: N` ignores groups, and the same seed gives the same draw as before
    groups existed: N of the block, sampled from the attempt's seeded generator."""
    for seed in range(20):
        snapshot = build_snapshot(rows(), shuffle="none", pick=4, seed=seed)
        expected = sorted(random.Random(seed).sample(rows(), 4),
                          key=lambda q: int(q.key))
        assert keys(snapshot) == [q.key for q in expected]
    assert len(build_snapshot(rows(), shuffle="none", pick=None, seed=1)) == 9


def test_a_group_smaller_than_n_gives_all_it_has_and_ungrouped_form_one_group() -> None:
    # Validation refuses both; the draw still does the least surprising thing.
    groups: list[str | None] = ["m/a", "m/a", "m/a", "m/b", None, None, None]
    for seed in range(20):
        snapshot = build_snapshot(rows(groups), shuffle="none", pick=2, seed=seed,
                                  per_objective=True)
        drawn = Counter(groups[int(key) - 1] for key in keys(snapshot))
        assert drawn == {"m/a": 2, "m/b": 1, None: 2}


# --- attempts on stored questions --------------------------------------------------------

QUIZ = """
```quiz
id: yield-final
pass_mark: 50%
attempts: 3
show_answers: after_submit
shuffle: {shuffle}
pick: {pick}
1.  Theoretical yield 10000 vials, 9850 released. Yield in %?
    objective: calc-yield-zq
    asks: apply
    = 98.5
2.  Theoretical yield 2000 vials, 1940 released. Yield in %?
    objective: calc-yield-zq, grade-zq
    asks: apply
    = 97
3.  Which grade is the critical zone?
    objective: grade-zq
    (x) Grade A
    ( ) Grade D
4.  Which grade surrounds a Grade A zone for aseptic filling?
    objective: grade-zq
    (x) Grade B
    ( ) Grade D
```
"""
OBJECTIVES = ("objectives:\n  - calc-yield-zq: Calculate a batch yield\n"
              "  - grade-zq: Choose a grade\n")


@pytest.fixture
def yield_quiz(app, clock, import_files, people):
    def make(pick: str = "1 per objective", shuffle: str = "all") -> Quiz:
        course = import_files({"01-yield.md": module_md(
            "Yield", extra=OBJECTIVES, body=QUIZ.format(pick=pick, shuffle=shuffle))})
        enrol(people["amina"], course, clock())
        db.session.commit()
        quiz = db.session.scalar(select(Quiz))
        assert quiz is not None and quiz.pick_per_objective == ("per" in pick)
        return quiz

    return make


def test_an_attempt_draws_n_from_each_objective_of_the_stored_questions(
        yield_quiz, people, clock) -> None:
    quiz = yield_quiz()
    groups = {"1": "calc", "2": "calc", "3": "grade", "4": "grade"}  # question 2: its first
    seen = set()
    for _ in range(12):
        attempt = start_attempt(people["amina"], quiz, clock())
        drawn = [item["key"] for item in attempt.snapshot]
        assert sorted(groups[key] for key in drawn) == ["calc", "grade"]
        seen.add(tuple(sorted(drawn)))
        db.session.delete(attempt)
        db.session.flush()
    assert len(seen) > 1


def test_an_attempt_in_progress_keeps_its_questions_when_the_quiz_changes(
        yield_quiz, people, clock) -> None:
    quiz = yield_quiz(pick="1 per objective", shuffle="none")
    attempt = start_attempt(people["amina"], quiz, clock())
    db.session.commit()
    before = [dict(item) for item in attempt.snapshot]
    assert len(before) == 2
    # The author switches to a plain pick of three: a new attempt gets three questions...
    yield_quiz(pick="3", shuffle="none")
    db.session.refresh(quiz)
    assert (quiz.pick, quiz.pick_per_objective) == (3, False)
    again = start_attempt(people["amina"], quiz, clock())
    # ... but the open attempt continues with the questions it was given.
    assert again.id == attempt.id and again.snapshot == before


def test_learner_pages_never_show_objective_ids_or_what_questions_ask(
        app, client, yield_quiz, people) -> None:
    yield_quiz()
    login(client, "amina@example.org")
    with app.test_request_context():
        module_url = url_for("learning.module", course_slug="aseptic-basics",
                             module_slug="yield")
        start_url = url_for("quizzes.start", course_slug="aseptic-basics",
                            quiz_slug="yield-final")
    module_page = client.get(module_url).get_data(as_text=True)
    assert "Calculate a batch yield" in module_page  # the objective's text, as before
    started = client.post(start_url)
    assert started.status_code == 302
    attempt_url = started.headers["Location"]
    attempt_page = client.get(attempt_url).get_data(as_text=True)
    assert "Yield in %?" in attempt_page or "critical zone" in attempt_page
    review = client.post(f"{attempt_url}/submit", data={"seq": 1}, follow_redirects=True)
    review_page = review.get_data(as_text=True)
    assert review.status_code == 200 and "Right answer" in review_page  # answers shown
    for page in (module_page, attempt_page, review_page):
        assert "-zq" not in page  # no objective id
        assert "asks" not in page.lower() and "recall" not in page.lower()
