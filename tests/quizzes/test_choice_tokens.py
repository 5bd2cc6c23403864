"""Choice values reveal nothing: each attempt gives every choice an opaque token, and a blind
pattern of answers scores at chance on a shuffled assessment, never at the pass mark."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.content.models import Course, Quiz
from app.extensions import db
from app.learning.services import enrol
from app.quizzes.models import AnswerStep, Attempt
from app.quizzes.rules import QuestionRow, build_snapshot, score_attempt
from app.quizzes.services import latest_answers, save_answers, start_attempt, submit_attempt
from app.quizzes.types import RefusedAnswer, question_type
from tests.conftest import choice_token, login
from tests.course_files import module_md

QUESTIONS = 10
CHOICES = 4


def shuffled_assessment(slug: str = "blind-check", pass_mark: int = 80) -> str:
    """Ten single-choice questions of four choices, the right one written first in every
    question: the worst case for a learner who answers by position."""
    lines = [f"```quiz\nid: {slug}\npass_mark: {pass_mark}%\nattempts: 0\nshuffle: choices\n"]
    for n in range(1, QUESTIONS + 1):
        lines.append(f"{n}.  Question {n}: which is right?\n    (x) Right {n}\n")
        lines.extend(f"    ( ) Wrong {n}.{w}\n" for w in range(1, CHOICES))
    return "".join(lines) + "```\n"


def _rows(n_questions: int = QUESTIONS) -> list[QuestionRow]:
    data = {"choices": [{"text_html": f"c{i}", "correct": i == 0, "feedback_html": ""}
                        for i in range(CHOICES)]}
    return [QuestionRow(str(n), "single", f"<p>Q{n}</p>", 1.0, data)
            for n in range(1, n_questions + 1)]


def _on_screen_first(item: dict) -> list[str]:
    return [item["choice_tokens"][item["choice_order"][0]]]


def _decoded(snapshot: list[dict], pick) -> dict:
    """The answers a learner's form values become, the way the server reads them."""
    answers = {}
    for item in snapshot:
        qtype = question_type(item["kind"])
        answers[item["key"]] = qtype.parse(item["data"], qtype.form_values(item, pick(item)))
    return answers


# --- pure rules ------------------------------------------------------------------------------


def test_every_choice_question_gets_distinct_tokens_and_other_kinds_none() -> None:
    rows = [*_rows(2), QuestionRow("n", "numeric", "<p>N</p>", 1.0,
                                    {"numeric_answers": []})]
    snapshot = build_snapshot(rows, shuffle="choices", pick=None, seed=7)
    for item in snapshot[:2]:
        tokens = item["choice_tokens"]
        assert len(tokens) == CHOICES == len(set(tokens))
        assert not any(re.fullmatch(r"\d+", token) for token in tokens)
    assert "choice_tokens" not in snapshot[2]


def test_tokens_are_drawn_again_when_a_token_repeats() -> None:
    drawn = iter(["same", "same", "other", "third", "fourth"])
    rows = _rows(1)
    snapshot = build_snapshot(rows, shuffle="none", pick=None, seed=1,
                              new_token=lambda: next(drawn))
    assert snapshot[0]["choice_tokens"] == ["same", "other", "third", "fourth"]


def test_form_values_map_tokens_back_and_refuse_anything_else() -> None:
    item = build_snapshot(_rows(1), shuffle="choices", pick=None, seed=3)[0]
    single = question_type("single")
    tokens = item["choice_tokens"]
    assert single.parse(item["data"], single.form_values(item, [tokens[2]])) == {"choice": 2}
    assert single.form_values(item, [""]) == []
    for forged in ("0", "1", str(tokens.index(tokens[0])), "x" + tokens[0]):
        with pytest.raises(RefusedAnswer, match="not one of this question's choices"):
            single.form_values(item, [forged])
    multiple = question_type("multiple")
    assert multiple.parse(item["data"], multiple.form_values(item, [tokens[3], tokens[1]])) \
        == {"choices": [1, 3]}


def test_a_blind_position_scores_at_chance_and_an_honest_attempt_full_marks() -> None:
    blind_percents = []
    for seed in range(500):
        snapshot = build_snapshot(_rows(), shuffle="choices", pick=None, seed=seed)
        blind_percents.append(score_attempt(snapshot, _decoded(snapshot, _on_screen_first))
                              .percent)
        honest = _decoded(snapshot, lambda item: [item["choice_tokens"][0]])
        assert score_attempt(snapshot, honest).percent == 100.0
    mean = sum(blind_percents) / len(blind_percents)
    # 5,000 guesses at 1 in 4: the mean is 25 % with a standard error of 0.6 points.
    assert 20 <= mean <= 30, mean
    assert sum(p >= 80 for p in blind_percents) <= 2


# --- services --------------------------------------------------------------------------------


@pytest.fixture
def blind_quiz(app, import_files):
    import_files({"01-aseptic.md": module_md("Aseptic", body=shuffled_assessment())})
    return db.session.scalar(select(Quiz).where(Quiz.slug == "blind-check"))


def _attempt(learner, quiz, clock) -> Attempt:
    enrol(learner, db.session.scalars(select(Course)).one(), clock())
    attempt = start_attempt(learner, quiz, clock())
    db.session.commit()
    return attempt


def test_learners_answering_by_position_score_at_chance(blind_quiz, make_user, clock) -> None:
    percents: list[float] = []
    for _ in range(40):
        learner = make_user()
        attempt = _attempt(learner, blind_quiz, clock)
        answers = {item["key"]: _on_screen_first(item) for item in attempt.snapshot}
        assert save_answers(learner, attempt, answers, 1, clock()).refused == {}
        submit_attempt(learner, attempt, clock())
        db.session.commit()
        assert attempt.percent is not None
        percents.append(attempt.percent)
    mean = sum(percents) / len(percents)
    # 400 guesses at 1 in 4: 25 % with a standard error of 2.2 points; the pass mark is 80 %.
    assert 12 <= mean <= 40, percents


def test_the_same_value_for_every_question_is_refused_and_saves_nothing(
        blind_quiz, make_user, clock) -> None:
    learner = make_user()
    attempt = _attempt(learner, blind_quiz, clock)
    for value in ("0", "1", attempt.snapshot[0]["choice_tokens"][0]):
        result = save_answers(learner, attempt,
                              {item["key"]: [value] for item in attempt.snapshot}, 1, clock())
        assert len(result.refused) >= QUESTIONS - 1 and len(result.saved) <= 1
    db.session.rollback()
    submit_attempt(learner, attempt, clock())
    db.session.commit()
    assert attempt.percent == 0.0 and attempt.passed is False


def test_an_honest_attempt_scores_full_marks(blind_quiz, make_user, clock) -> None:
    learner = make_user()
    attempt = _attempt(learner, blind_quiz, clock)
    answers = {item["key"]: [choice_token(attempt, item["key"], 0)] for item in attempt.snapshot}
    assert save_answers(learner, attempt, answers, 1, clock()).saved == list(answers)
    submit_attempt(learner, attempt, clock())
    db.session.commit()
    assert (attempt.percent, attempt.passed) == (100.0, True)
    assert latest_answers(attempt) == {key: {"choice": 0} for key in answers}


def test_two_attempts_of_one_quiz_share_no_choice_value(blind_quiz, make_user, clock) -> None:
    first, second = make_user(), make_user()
    values = [{token for item in _attempt(who, blind_quiz, clock).snapshot
               for token in item["choice_tokens"]} for who in (first, second)]
    assert len(values[0]) == len(values[1]) == QUESTIONS * CHOICES
    assert values[0].isdisjoint(values[1])


# --- routes ----------------------------------------------------------------------------------


@pytest.fixture
def at_attempt(client, blind_quiz, make_user, clock):
    learner = make_user("amina@example.org")
    attempt = _attempt(learner, blind_quiz, clock)
    login(client, "amina@example.org")
    return attempt


def test_the_page_sends_tokens_never_places(client, at_attempt) -> None:
    html = client.get(f"/quizzes/attempts/{at_attempt.id}").get_data(as_text=True)
    values = re.findall(r'type="radio" name="q-[^"]+" value="([^"]*)"', html)
    assert len(values) == QUESTIONS * CHOICES
    assert set(values) == {t for item in at_attempt.snapshot for t in item["choice_tokens"]}
    assert not any(re.fullmatch(r"\d+", value) for value in values)


def test_autosave_refuses_a_forged_value_with_a_message(client, at_attempt) -> None:
    good = choice_token(at_attempt, "2", 0)
    response = client.post(f"/quizzes/attempts/{at_attempt.id}/save",
                           data={"seq": 1, "q-1": "0", "q-2": good},
                           headers={"Accept": "application/json"})
    assert response.status_code == 422
    body = response.get_json()
    assert body["refused"] == ["1"] and body["saved"] == ["2"]
    assert body["error"].startswith("Question 1: That is not one of this question's choices")
    assert body["error"].endswith("Your other answers are saved.")
    assert latest_answers(at_attempt) == {"2": {"choice": 0}}  # the good one is kept


def test_the_save_button_and_submit_refuse_a_forged_value(client, at_attempt) -> None:
    saved = client.post(f"/quizzes/attempts/{at_attempt.id}/save",
                        data={"seq": 1, "q-3": "2"}, follow_redirects=True)
    assert saved.status_code == 200
    page = saved.get_data(as_text=True)
    assert "Question 3: That is not one of this question&#39;s choices" in page
    assert "Your other answers are saved" not in page  # none were sent
    submitted = client.post(f"/quizzes/attempts/{at_attempt.id}/submit",
                            data={"seq": 2, "q-3": "2"})
    # The attempt page again, the reason beside the question, nothing submitted.
    assert submitted.status_code == 422
    assert 'id="q-3-error">Question 3: That is not one of this question&#39;s choices' in \
        submitted.get_data(as_text=True)
    db.session.expire_all()
    kept = db.session.get(Attempt, at_attempt.id)
    assert kept is not None and kept.state == "in_progress"
    assert db.session.scalar(select(func.count()).select_from(AnswerStep)) == 0


def test_an_attempt_started_before_tokens_gets_them_from_the_migration(
        app, at_attempt) -> None:
    from importlib.util import module_from_spec, spec_from_file_location
    from pathlib import Path

    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    path = Path(__file__).parents[2] / "migrations/versions/0011_choice_tokens.py"
    spec = spec_from_file_location("choice_tokens_migration", path)
    assert spec is not None and spec.loader is not None
    migration = module_from_spec(spec)
    spec.loader.exec_module(migration)
    legacy = [{k: v for k, v in item.items() if k != "choice_tokens"}
              for item in at_attempt.snapshot]
    at_attempt.snapshot = legacy
    db.session.commit()
    with db.engine.begin() as conn:
        context = MigrationContext.configure(conn)
        with Operations.context(context):
            migration.upgrade()
    db.session.expire_all()
    upgraded = db.session.get(Attempt, at_attempt.id)
    assert upgraded is not None
    assert all(len(set(item["choice_tokens"])) == CHOICES for item in upgraded.snapshot)
    assert [item["choice_order"] for item in upgraded.snapshot] == [
        i["choice_order"] for i in legacy]



def test_a_stale_worker_copy_of_the_questions_never_refuses_a_right_token(
        blind_quiz, make_user, clock) -> None:
    """A worker keeps an open attempt's questions; should its copy ever be stale, the copy
    is read again before anything is refused."""
    from app.quizzes.services import OPEN_ATTEMPT_ITEMS, answer_items

    learner = make_user()
    attempt = _attempt(learner, blind_quiz, clock)
    token = choice_token(attempt, "1", 2)
    stale = {key: {**item, "choice_tokens": [f"old{n}" for n in range(CHOICES)]}
             for key, item in answer_items(attempt).items()}
    OPEN_ATTEMPT_ITEMS.put((attempt.id, attempt.user_id, attempt.started_at), stale)
    assert answer_items(attempt) is stale
    result = save_answers(learner, attempt, {"1": [token]}, 1, clock())
    assert (result.saved, result.refused) == (["1"], {})
    assert latest_answers(attempt) == {"1": {"choice": 2}}


def test_an_attempt_id_that_comes_back_does_not_take_the_old_attempts_questions(
        blind_quiz, make_user, clock) -> None:
    """A database restored or rebuilt under a running worker gives an id to another
    attempt: the worker's copy is kept by id, learner and start, so it is not that one's."""
    from dataclasses import replace

    from app.quizzes.services import OPEN_ATTEMPT_ITEMS, answer_items, answer_sheet

    learner = make_user()
    attempt = _attempt(learner, blind_quiz, clock)
    sheet = answer_sheet(learner, attempt.id)
    stale = {"gone": {"key": "gone"}}
    OPEN_ATTEMPT_ITEMS.put((sheet.id, sheet.user_id, sheet.started_at), stale)
    assert answer_items(sheet) is stale
    reborn = replace(sheet, started_at=sheet.started_at + timedelta(hours=1))
    assert set(answer_items(reborn)) == {item["key"] for item in attempt.snapshot}
