"""Pure rules of progress: module states, locks, completion routes, course completion.

No Flask, no database: the services and pages feed these plain facts and show the results.
(Flask-Babel's gettext only marks the words a learner reads; it works without an app.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from flask_babel import gettext as _
from flask_babel import lazy_pgettext


class State(StrEnum):
    LOCKED = "locked"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    RETRAINING_DUE = "retraining_due"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    State.LOCKED: lazy_pgettext("module state", "Locked"),
    State.NOT_STARTED: lazy_pgettext("module state", "Not started"),
    State.IN_PROGRESS: lazy_pgettext("module state", "In progress"),
    State.COMPLETE: lazy_pgettext("module state", "Complete"),
    State.RETRAINING_DUE: lazy_pgettext("module state", "Retraining due"),
}


@dataclass(frozen=True)
class ModuleFacts:
    slug: str
    title: str
    version: int
    optional: bool = False
    prerequisites: tuple[str, ...] = ()
    # What completes the module, each in its own modality: see `completion_requirements`.
    requirements: tuple[str, ...] = ("read",)


@dataclass(frozen=True)
class ProgressFacts:
    viewed: bool = False
    completed_version: int | None = None


# What completing a module can require, and what the learner is told. Each later feature owns
# one requirement and registers how to check it in its init_app
# (learning.services.REQUIREMENT_CHECKS).
# Each is the end of "This module is complete when ..." (their context says so).
COMPLETION_ROUTES: dict[str, str] = {
    "sign_off": lazy_pgettext("completed when", "an assessor signs off your hands-on checklist"),
    "assessment": lazy_pgettext("completed when", "you pass its assessment"),
    "attendance": lazy_pgettext("completed when",
                                "your attendance at one of its live sessions is recorded"),
    "read": lazy_pgettext("completed when", "you mark it as complete once you have read it"),
}


def completion_requirements(*, has_checklist: bool, has_assessment: bool,
                            attendance_required: bool) -> tuple[str, ...]:
    """Everything a module needs, each in its own modality: a hands-on sign-off, a passed
    assessment, attendance at a live session. A module with none of these is complete when
    the learner has read it."""
    needed = tuple(route for route, applies in (
        ("sign_off", has_checklist), ("assessment", has_assessment),
        ("attendance", attendance_required)) if applies)
    return needed or ("read",)


def requirements_text(requirements: Iterable[str]) -> str:
    """'This module is complete when an assessor signs off … and your attendance …'."""
    needed = list(requirements)
    if needed == ["read"]:
        return _("Mark this module as complete once you have read it.")
    parts = [str(COMPLETION_ROUTES[r]) for r in needed]
    # Translators: the last two (or more) of a list, as in "a, b and c"; `items` is the
    # list but its last, joined by commas.
    joined = parts[0] if len(parts) == 1 else _("%(items)s and %(last)s",
                                                  items=", ".join(parts[:-1]), last=parts[-1])
    # Translators: `requirements` is one or more of the "completed when" phrases, joined.
    return _("This module is complete when %(requirements)s.", requirements=joined)


def unmet_requirements(requirements: Iterable[str], met: Iterable[str]) -> tuple[str, ...]:
    done = set(met)
    return tuple(r for r in requirements if r not in done)


def is_done(state: State) -> bool:
    """Counts for prerequisites: an earlier version completed still opens what follows."""
    return state in (State.COMPLETE, State.RETRAINING_DUE)


def module_state(module: ModuleFacts, progress: ProgressFacts | None,
                 done: set[str], *, course_locked: bool = False) -> State:
    if progress is not None and progress.completed_version is not None:
        return (State.COMPLETE if progress.completed_version >= module.version
                else State.RETRAINING_DUE)
    if course_locked or any(p not in done for p in module.prerequisites):
        return State.LOCKED
    if progress is not None and progress.viewed:
        return State.IN_PROGRESS
    return State.NOT_STARTED


@dataclass(frozen=True)
class CourseProgress:
    states: dict[str, State]
    percent: int
    complete: bool
    next_slug: str | None
    retraining_due: tuple[str, ...]


def course_progress(modules: Iterable[ModuleFacts], progress: Mapping[str, ProgressFacts],
                    *, course_locked: bool = False) -> CourseProgress:
    """States in course order (prerequisites resolved in one pass: they point backwards or
    sideways, and a cycle is refused at import), percent of required modules complete."""
    ordered = list(modules)
    states: dict[str, State] = {}
    done = {m.slug for m in ordered
            if (p := progress.get(m.slug)) is not None and p.completed_version is not None}
    for module in ordered:
        states[module.slug] = module_state(module, progress.get(module.slug), done,
                                           course_locked=course_locked)
    required = [m for m in ordered if not m.optional]
    finished = sum(states[m.slug] == State.COMPLETE for m in required)
    percent = round(100 * finished / len(required)) if required else 100
    next_slug = next((m.slug for m in ordered
                      if states[m.slug] in (State.IN_PROGRESS, State.RETRAINING_DUE,
                                            State.NOT_STARTED)), None)
    return CourseProgress(states, percent, bool(required) and finished == len(required),
                          next_slug, tuple(s for s, st in states.items()
                                           if st == State.RETRAINING_DUE))
