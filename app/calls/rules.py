"""A call's phase, what an applicant reads of their application's state, and the rubric
reviewers score against. Pure: neither Flask nor the database.

A rubric is a list of criteria:

    [{"key": "experience", "label": "Relevant experience", "max": 5,
      "description": "Years and depth of GMP production work"}]

A reviewer gives each criterion a whole number of points from 0 to its max; the total is
their sum, and an application's score is the mean of its reviewers' latest totals.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import fmean
from typing import Any

from app.calls.problems import N_, Problem

CRITERION_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_POINTS = 100
PHASES = ("draft", "upcoming", "open", "closed", "decided")


def call_phase(status: str, opens_at: datetime, closes_at: datetime, now: datetime) -> str:
    """draft, upcoming (published, not open yet), open, closed (past the deadline,
    undecided) or decided. The deadline is an instant: `closes_at` is UTC, and the call's
    time zone only says how it is shown."""
    if status == "draft":
        return "draft"
    if status == "decided":
        return "decided"
    if now < opens_at:
        return "upcoming"
    return "open" if now < closes_at else "closed"


def may_submit(phase: str) -> bool:
    return phase == "open"


def applicant_status(state: str, phase: str, review_started: bool) -> str:
    """The status an applicant reads: draft, submitted, under_review, decision or
    withdrawn. Under review once the call has closed or a reviewer has scored it."""
    if state in ("draft", "withdrawn"):
        return state
    if state == "submitted":
        return "under_review" if review_started or phase in ("closed", "decided") \
            else "submitted"
    return "decision"


def may_withdraw(state: str) -> bool:
    """Before the decision only: an accepted applicant declines instead."""
    return state in ("draft", "submitted")


def rubric_problems(rubric: Any) -> list[Problem]:
    """Everything wrong with a rubric, all at once, keyed by criterion."""
    if not isinstance(rubric, list) or not rubric:
        return [Problem("", N_("A rubric needs at least one criterion."))]
    problems: list[Problem] = []
    seen: set[str] = set()
    for criterion in rubric:
        if not isinstance(criterion, dict):
            problems.append(Problem("", N_("Each criterion must be a mapping.")))
            continue
        key = criterion.get("key")
        if not isinstance(key, str) or not CRITERION_KEY.match(key):
            problems.append(Problem(str(key or ""), N_("A criterion's key is lower-case "
                                                       "letters, digits and _.")))
            continue
        if key in seen:
            problems.append(Problem(key, N_("Two criteria have the key %(key)s."),
                                    {"key": key}))
        seen.add(key)
        if not isinstance(criterion.get("label"), str) or not criterion["label"].strip():
            problems.append(Problem(key, N_("Criterion %(key)s needs a label."), {"key": key}))
        points = criterion.get("max")
        if isinstance(points, bool) or not isinstance(points, int) \
                or not 1 <= points <= MAX_POINTS:
            problems.append(Problem(key, N_("Criterion %(key)s: the most points is a whole "
                                            "number from 1 to %(limit)s."),
                                    {"key": key, "limit": MAX_POINTS}))
        unknown = set(criterion) - {"key", "label", "max", "description"}
        if unknown:
            problems.append(Problem(key, N_("Criterion %(key)s does not take %(options)s."),
                                    {"key": key, "options": ", ".join(sorted(unknown))}))
    return problems


def rubric_max(rubric: Sequence[Mapping[str, Any]]) -> int:
    return sum(int(criterion["max"]) for criterion in rubric)


def score_problems(rubric: Sequence[Mapping[str, Any]], points: Mapping[str, Any]
                   ) -> list[Problem]:
    """What is wrong with a reviewer's points, keyed by criterion (each one is needed)."""
    problems: list[Problem] = []
    for criterion in rubric:
        key = criterion["key"]
        value = points.get(key)
        if value is None or value == "":
            problems.append(Problem(key, N_("Give this criterion its points.")))
            continue
        try:
            number = int(str(value))
        except ValueError:
            problems.append(Problem(key, N_("Give a whole number.")))
            continue
        if not 0 <= number <= int(criterion["max"]):
            problems.append(Problem(key, N_("From 0 to %(limit)s, please."),
                                    {"limit": criterion["max"]}))
    return problems


@dataclass(frozen=True)
class ScoreSummary:
    count: int
    mean: float | None
    low: int | None
    high: int | None
    disagreement: bool  # the range is wider than the call allows

    @property
    def spread(self) -> int | None:
        return None if self.low is None or self.high is None else self.high - self.low


def summarise(totals: Sequence[int], maximum: int, disagreement_share: float) -> ScoreSummary:
    """The reviewers' latest totals of one application, summed up for the board."""
    if not totals:
        return ScoreSummary(0, None, None, None, False)
    low, high = min(totals), max(totals)
    return ScoreSummary(len(totals), fmean(totals), low, high,
                        len(totals) > 1 and (high - low) > disagreement_share * maximum)
