"""Pure rules of the grading screen: a criterion's levels and the numbers the learner saw.
No Flask, no database. (An answer's length is the quiz's own `types.word_count`, the count
the learner was held to.)"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any


def rubric_levels(top: float, kept: float | None = None) -> list[float]:
    """The points an assessor picks from for a criterion worth `top`: every whole number
    from 0, and `top` itself when it is not whole (2.5: 0, 1, 2, 2.5). A grade kept from
    before that is none of these (2.5 typed when grades were typed) stays one to pick, so
    opening an old grade and saving it again changes nothing."""
    levels = [float(n) for n in range(math.floor(top) + 1)]
    extra = {top} | ({kept} if kept is not None and 0 <= kept <= top else set())
    return sorted(set(levels) | extra)


def question_numbers(snapshot: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Each question's number as the learner saw it: its place in their attempt's own
    order (drawn and shuffled when the attempt started), from 1."""
    return {str(item["key"]): number for number, item in enumerate(snapshot, start=1)}
