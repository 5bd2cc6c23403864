"""The reports' pure rules: small-count suppression for publication, the funnel's shares,
score bands and time by modality. Neither Flask nor the database.

Suppression. An export marked for publication never shows a count of 1 to 4 (a primary
cell, shown "<5"): with a group that small a reader can tell who is meant. Hiding those
cells is not enough when the table's total is published (and the intake's size always is):
the total less the cells shown is what the hidden cells add up to, and a reader who knows
each primary cell lies between 1 and 4 can sometimes solve for one ("<5" and a total 4
above the rest is exactly 4). So `suppress` also hides, one by one and the smallest first,
shown cells (secondary cells, shown "x") until no hidden cell can be pinned to one value
from the total and what a reader knows of each hidden cell: a primary one lies in 1..4, a
secondary one is at least 5 and at most the smallest count still shown (it was chosen as
the smallest). When no shown cell is left to hide, the total is hidden too. Zeros are shown:
they name nobody.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

THRESHOLD = 5
PRIMARY = "<5"
SECONDARY = "x"


@dataclass(frozen=True)
class Suppressed:
    """What a publication shows of one table: each cell's mark ("" when shown) and the
    total's."""

    values: tuple[int, ...]
    marks: tuple[str, ...]
    total_mark: str

    @property
    def total(self) -> int:
        return sum(self.values)

    def shown(self) -> list[int | str]:
        return [mark or value for value, mark in zip(self.values, self.marks, strict=True)]

    def shown_total(self) -> int | str:
        return self.total_mark or self.total


def _bounds(mark: str, ceiling: int) -> tuple[int, int]:
    return (1, THRESHOLD - 1) if mark == PRIMARY else (THRESHOLD, ceiling)


def recoverable(values: Sequence[int], marks: Sequence[str]) -> bool:
    """Whether a reader who knows the total can work out some hidden cell exactly."""
    hidden = [i for i, mark in enumerate(marks) if mark]
    if not hidden:
        return False
    remainder = sum(values[i] for i in hidden)  # the total less the cells shown
    shown = [v for v, mark in zip(values, marks, strict=True) if not mark and v > 0]
    ceiling = min(shown, default=remainder)
    bounds = {i: _bounds(marks[i], ceiling) for i in hidden}
    for i in hidden:
        others_low = sum(bounds[j][0] for j in hidden if j != i)
        others_high = sum(bounds[j][1] for j in hidden if j != i)
        low = max(bounds[i][0], remainder - others_high)
        high = min(bounds[i][1], remainder - others_low)
        if low >= high:
            return True
    return False


def suppress(values: Sequence[int], *, total_published: bool = True) -> Suppressed:
    """The cells of one table (counts that split one population) as a publication shows
    them; see the module's docstring."""
    marks = [PRIMARY if 0 < v < THRESHOLD else "" for v in values]
    total = sum(values)
    if 0 < total < THRESHOLD:
        return Suppressed(tuple(values), tuple(marks), PRIMARY)
    total_mark = ""
    while total_published and recoverable(values, marks):
        candidates = [i for i, mark in enumerate(marks) if not mark and values[i] > 0]
        if not candidates:
            total_mark = SECONDARY
            break
        marks[min(candidates, key=lambda i: (values[i], i))] = SECONDARY
    return Suppressed(tuple(values), tuple(marks), total_mark)


def suppress_grouped(values: Sequence[int], groups: Sequence[Hashable]) -> Suppressed:
    """`suppress` within each group, for a table whose groups' subtotals are published as
    well (countries, with the number of trainees from low- and middle-income countries)."""
    marks = [""] * len(values)
    total_mark = ""
    for group in dict.fromkeys(groups):
        members = [i for i, g in enumerate(groups) if g == group]
        part = suppress([values[i] for i in members])
        for i, mark in zip(members, part.marks, strict=True):
            marks[i] = mark
        total_mark = total_mark or (SECONDARY if part.total_mark else "")
    if 0 < sum(values) < THRESHOLD:
        total_mark = PRIMARY
    return Suppressed(tuple(values), tuple(marks), total_mark)


def hide_small(value: int) -> int | str:
    """A count that stands alone (a funnel stage): shown, or "<5"."""
    return PRIMARY if 0 < value < THRESHOLD else value


@dataclass(frozen=True)
class Stage:
    key: str
    count: int
    base: int  # the first stage's count: every share is printed with it
    previous: int  # the stage before's count (the first stage's own for the first)

    @property
    def of_base(self) -> float | None:
        return self.count / self.base if self.base else None

    @property
    def of_previous(self) -> float | None:
        return self.count / self.previous if self.previous else None


def funnel(stages: Sequence[tuple[str, int]]) -> list[Stage]:
    """The funnel's stages with the denominators each share is taken of."""
    base = stages[0][1] if stages else 0
    out: list[Stage] = []
    previous = base
    for key, count in stages:
        out.append(Stage(key, count, base, previous))
        previous = count
    return out


# Score bands of ten points; the last takes 100 as well.
BANDS = tuple((low, low + 9 if low < 90 else 100) for low in range(0, 100, 10))


def band_of(percent: float) -> int:
    """The index of the band a score falls in."""
    return min(int(max(percent, 0.0) // 10), len(BANDS) - 1)


def band_label(index: int) -> str:
    low, high = BANDS[index]
    return f"{low}\u2013{high}"  # an en dash


@dataclass(frozen=True)
class AttendedSession:
    modality: str
    starts_at: datetime
    ends_at: datetime
    attendees: int  # marked present or late


def hours_by_modality(module_minutes: Mapping[str, int], sessions: Iterable[AttendedSession],
                      modalities: Sequence[str]) -> dict[str, float]:
    """Learner-hours per modality: the stated minutes of the self-paced modules the trainees
    completed, plus each live session's length times the trainees marked at it."""
    hours = {modality: module_minutes.get(modality, 0) / 60 for modality in modalities}
    for session in sessions:
        length = (session.ends_at - session.starts_at).total_seconds() / 3600
        hours[session.modality] = hours.get(session.modality, 0.0) + length * session.attendees
    return hours


def lmic_share(counts: Mapping[str | None, int], is_lmic: Mapping[str | None, bool]
               ) -> tuple[int, int, int]:
    """(trainees from LMICs, trainees, number of LMICs they come from) from counts by
    country code."""
    lmic = [code for code, n in counts.items() if n and is_lmic.get(code)]
    return sum(counts[c] for c in lmic), sum(counts.values()), len(lmic)
