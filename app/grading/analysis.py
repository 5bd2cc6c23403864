"""Item analysis: how well each question works. Pure: per-attempt facts in, statistics out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

UPPER_LOWER_SHARE = 0.27  # the classic upper and lower 27 % groups


@dataclass(frozen=True)
class AttemptFacts:
    """One submitted attempt: its total percent, and per question the fraction of the points
    earned (0..1) and the choices picked (for choice questions)."""

    percent: float
    fractions: dict[str, float]
    choices: dict[str, tuple[int, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class ItemStats:
    key: str
    answered: int
    facility: float  # mean fraction of the points earned, 0..1
    discrimination: float | None  # upper group's facility minus the lower group's
    choice_counts: dict[int, int]
    flags: tuple[str, ...]


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def analyse(keys: list[str], attempts: list[AttemptFacts]) -> list[ItemStats]:
    ranked = sorted(attempts, key=lambda a: a.percent)
    group = max(1, round(len(ranked) * UPPER_LOWER_SHARE)) if len(ranked) >= 2 else 0
    lower, upper = ranked[:group], ranked[len(ranked) - group:] if group else []
    stats = []
    for key in keys:
        given = [a for a in attempts if key in a.fractions]
        facility = _mean([a.fractions[key] for a in given])
        discrimination = None
        if group:
            discrimination = round(
                _mean([a.fractions.get(key, 0.0) for a in upper])
                - _mean([a.fractions.get(key, 0.0) for a in lower]), 3)
        counts = Counter(choice for a in given for choice in a.choices.get(key, ()))
        flags = []
        if given and facility == 1.0:
            flags.append("everyone right")
        if given and facility == 0.0:
            flags.append("nobody right")
        if discrimination is not None and discrimination < 0:
            flags.append("weaker learners do better")
        stats.append(ItemStats(key, len(given), round(facility, 3), discrimination,
                               dict(sorted(counts.items())), tuple(flags)))
    return stats
