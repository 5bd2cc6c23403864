"""Pure rules of what a certificate states. No Flask, no database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MODALITY_ORDER = ("virtual", "classroom", "hands-on")


@dataclass(frozen=True)
class ModuleLine:
    modality: str
    minutes: int | None
    optional: bool
    competencies: tuple[str, ...] = ()


def credit_hours(course_hours: float | None, modules: Iterable[ModuleLine]) -> float | None:
    """The course file's `hours`, else the summed durations of the required modules."""
    if course_hours is not None:
        return course_hours
    minutes = sum(m.minutes or 0 for m in modules if not m.optional)
    return round(minutes / 60, 1) if minutes else None


def modalities(modules: Iterable[ModuleLine]) -> list[str]:
    found = {m.modality for m in modules if not m.optional}
    return [m for m in MODALITY_ORDER if m in found] + sorted(found - set(MODALITY_ORDER))


def competencies(course_codes: Iterable[str], modules: Iterable[ModuleLine]) -> list[str]:
    """The course's competencies, else those of its required modules, in first-seen order."""
    codes = list(course_codes) or [c for m in modules if not m.optional for c in m.competencies]
    return list(dict.fromkeys(codes))
