"""Pure rules of attempts: what a learner is given, how an attempt scores, what may be shown."""

from __future__ import annotations

import json
import random
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.quizzes.types import Score, question_type

Snapshot = list[dict[str, Any]]


@dataclass(frozen=True)
class QuestionRow:
    key: str
    kind: str
    prompt_html: str
    points: float
    data: dict[str, Any]
    group: str | None = None  # its first objective: what `pick: N per objective` draws by


def new_choice_token() -> str:
    """A choice's value on the learner's page: random, so that it says nothing about the
    choice's place in the course file or whether it is right."""
    return secrets.token_urlsafe(9)


def choice_tokens(count: int, new_token: Callable[[], str] = new_choice_token) -> list[str]:
    """One distinct token per choice, in the course file's order of the choices."""
    tokens: list[str] = []
    while len(tokens) < count:
        token = new_token()
        if token not in tokens:
            tokens.append(token)
    return tokens


def draw_per_group(questions: list[QuestionRow], per_group: int,
                   rng: random.Random) -> list[QuestionRow]:
    """`per_group` questions drawn from each group, in the order of the file.

    Every group gives exactly `per_group`, or all its questions if it has fewer (validation
    refuses such a quiz; a smaller group is not made up from others). Questions without a
    group, which validation refuses too, are drawn from as one group of their own."""
    groups: dict[str | None, list[int]] = {}
    for index, question in enumerate(questions):
        groups.setdefault(question.group, []).append(index)
    chosen: list[int] = []
    for members in groups.values():
        chosen.extend(rng.sample(members, min(per_group, len(members))))
    return [questions[index] for index in sorted(chosen)]


def build_snapshot(questions: list[QuestionRow], *, shuffle: str, pick: int | None,
                   seed: int, per_objective: bool = False,
                   new_token: Callable[[], str] = new_choice_token) -> Snapshot:
    """The questions this attempt gets, in the order it gets them: picked and shuffled once
    with the attempt's own seed, so a reload shows the same quiz. `pick` draws that many from
    the block, or with `per_objective` that many from each objective's group. Each choice
    gets a token of its own for this attempt (`choice_tokens`), which is all the learner's
    page sends."""
    rng = random.Random(seed)  # noqa: S311 - an order of questions, not a secret
    chosen = list(questions)
    if pick is not None and per_objective:
        chosen = draw_per_group(chosen, pick, rng)
    elif pick is not None and pick < len(chosen):
        chosen = rng.sample(chosen, pick)
        chosen.sort(key=lambda q: questions.index(q))
    if shuffle in ("questions", "all"):
        rng.shuffle(chosen)
    snapshot = []
    for question in chosen:
        order = list(range(len(question.data.get("choices", []))))
        if shuffle in ("choices", "all"):
            rng.shuffle(order)
        item = {"key": question.key, "kind": question.kind,
                "prompt_html": question.prompt_html, "points": question.points,
                "data": question.data, "choice_order": order}
        if question_type(question.kind).has_choices:
            item["choice_tokens"] = choice_tokens(len(order), new_token)
        snapshot.append(item)
    return snapshot


@dataclass(frozen=True)
class AttemptResult:
    score: float
    max_score: float
    needs_grading: bool
    per_question: dict[str, Score]

    @property
    def percent(self) -> float:
        return round(100 * self.score / self.max_score, 2) if self.max_score else 100.0


def score_attempt(snapshot: Snapshot, answers: dict[str, dict[str, Any]],
                  locale: str = "en") -> AttemptResult:
    """The attempt's score; `locale` is the language its answers were typed in, which says
    how a number such as "1,500" reads."""
    per_question = {}
    for item in snapshot:
        qtype = question_type(item["kind"])
        per_question[item["key"]] = qtype.score(item["data"], item["points"],
                                                answers.get(item["key"]), locale)
    return AttemptResult(
        score=round(sum(s.points for s in per_question.values()), 4),
        max_score=sum(item["points"] for item in snapshot),
        needs_grading=any(s.needs_grading for s in per_question.values()),
        per_question=per_question,
    )


def passed(percent: float, pass_mark: int | None) -> bool | None:
    """None for a knowledge check: it has no pass mark."""
    return None if pass_mark is None else percent >= pass_mark


def remaining_attempts(allowed: int, used: int) -> int | None:
    """Attempts left; None when the quiz allows any number (`attempts: 0` or absent)."""
    return None if not allowed else max(0, allowed - used)


def answers_visible(policy: str, *, finished: bool, passed_now: bool | None,
                    attempts_left: int | None) -> bool:
    """Whether right answers, per-question scores and feedback may be shown for an attempt.
    `attempts_left` None means unlimited."""
    if not finished:
        return False
    rules = {
        "never": False,
        "after_submit": True,
        "after_pass": bool(passed_now),
        "after_last_attempt": attempts_left == 0 or bool(passed_now),
    }
    return rules.get(policy, False)


def as_stored(answer: dict[str, Any]) -> Any:
    """An answer as a JSON column gives it back: what a stored one is compared with."""
    return json.loads(json.dumps(answer))


def sent_again(stored: Mapping[str, tuple[int, Any]], given: Mapping[str, Any],
               seq: int) -> bool:
    """Whether the answers already stored at the counter `seq` or later (question key ->
    (its counter, the answer as stored)) are this save's, received a second time: the same
    questions, each at exactly `seq`, each with the same answer (`as_stored`). A proxy
    retrying a save on another node sends it again; the page never reuses a counter, so
    anything else is an older page's save, or another save under the same counter: stale."""
    return bool(stored) and stored.keys() == given.keys() and all(
        at == seq and answer == given[key] for key, (at, answer) in stored.items())
