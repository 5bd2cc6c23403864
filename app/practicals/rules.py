"""Pure rules of hands-on assessments: the outcome of a marked checklist. No Flask, no
database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# The marks of an item: met, not met, not applicable (the pages name them in routes.py).
MARKS = ("met", "not_met", "na")

# Stored with the signature in English, as signed; the pages show them translated.
MEANING_COMPETENT = "Assessed: competent"
MEANING_NOT_YET = "Assessed: not yet competent"


@dataclass(frozen=True)
class Item:
    key: str
    critical: bool = False


@dataclass(frozen=True)
class Outcome:
    competent: bool
    percent: float | None  # of applicable items met; None while nothing is applicable
    met: int
    applicable: int
    critical_not_met: tuple[str, ...]  # keys
    unmarked: tuple[str, ...]  # keys

    @property
    def complete(self) -> bool:
        """Every item is marked: the outcome can be signed."""
        return not self.unmarked

    @property
    def meaning(self) -> str:
        return MEANING_COMPETENT if self.competent else MEANING_NOT_YET


def outcome(items: Sequence[Item], marks: Mapping[str, str], pass_percent: int) -> Outcome:
    """Competent when every item is marked, every critical item is met (a critical item
    marked not applicable does not count as met), and the share of applicable items met
    reaches `pass_percent`. The comparison is exact: 9 of 10 reaches 90%."""
    unmarked = tuple(i.key for i in items if marks.get(i.key) not in MARKS)
    applicable = [i for i in items if marks.get(i.key) in ("met", "not_met")]
    met = sum(marks.get(i.key) == "met" for i in applicable)
    critical_not_met = tuple(i.key for i in items if i.critical and marks.get(i.key) != "met")
    percent = round(100 * met / len(applicable), 1) if applicable else None
    competent = (not unmarked and not critical_not_met and bool(applicable)
                 and met * 100 >= pass_percent * len(applicable))
    return Outcome(competent, percent, met, len(applicable), critical_not_met, unmarked)
