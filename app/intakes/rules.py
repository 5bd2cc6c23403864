"""Pure rules of programmes and intakes: when a programme's requirements are met, where a
learner stands in a course of their intake, and the days of an intake. No Flask, no
database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MODALITIES = ("virtual", "classroom", "hands-on")


@dataclass(frozen=True)
class Requirement:
    """What completes a programme: every course ("all"), `count` of them ("n_of_m"), or
    `per_modality[m]` courses of each modality m ("modality")."""

    kind: str
    count: int | None = None
    per_modality: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ProgrammeLine:
    course_id: int
    modality: str


def requirement_problem(requirement: Requirement, lines: Sequence[ProgrammeLine]) -> str | None:
    """Why the requirement cannot be met by these courses, as a stable code, or None:
    "no_courses", "unknown_kind", "count_range" (N outside 1..M), "modality_unknown",
    "modality_none" (no course asked for), "modality_short" (more courses of a modality than
    the programme has)."""
    if not lines:
        return "no_courses"
    if requirement.kind == "all":
        return None
    if requirement.kind == "n_of_m":
        count = requirement.count
        return None if count is not None and 1 <= count <= len(lines) else "count_range"
    if requirement.kind != "modality":
        return "unknown_kind"
    wanted = requirement.per_modality
    if any(m not in MODALITIES or n < 0 for m, n in wanted.items()):
        return "modality_unknown"
    if sum(wanted.values()) < 1:
        return "modality_none"
    have = modality_counts(lines)
    if any(n > have.get(m, 0) for m, n in wanted.items()):
        return "modality_short"
    return None


def modality_counts(lines: Iterable[ProgrammeLine]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.modality] = counts.get(line.modality, 0) + 1
    return counts


def requirement_met(requirement: Requirement, lines: Sequence[ProgrammeLine],
                    completed: Iterable[int]) -> bool:
    """Whether the completed courses (ids; others than the programme's are ignored) meet the
    requirement. A requirement that cannot be met (see `requirement_problem`) never is."""
    if requirement_problem(requirement, lines) is not None:
        return False
    done = set(completed)
    finished = [line for line in lines if line.course_id in done]
    if requirement.kind == "all":
        return len(finished) == len(lines)
    if requirement.kind == "n_of_m":
        return len(finished) >= (requirement.count or 0)
    have = modality_counts(finished)
    return all(have.get(m, 0) >= n for m, n in requirement.per_modality.items())


def requirement_covers(requirement: Requirement, lines: Sequence[ProgrammeLine]
                       ) -> list[ProgrammeLine]:
    """The courses a certificate lists: those the requirement can count (all of them, but
    for "modality" only the modalities it asks for)."""
    if requirement.kind != "modality":
        return list(lines)
    return [line for line in lines if requirement.per_modality.get(line.modality, 0) > 0]


# --- the days of an intake -----------------------------------------------------------------


def length_in_days(starts_on: date, ends_on: date) -> int:
    """Both days count: an intake from the 18th to the 29th is 12 days long."""
    return (ends_on - starts_on).days + 1


def day_date(starts_on: date, day: int) -> date:
    """The date of day `day` (day 1 is the first day)."""
    return starts_on + timedelta(days=day - 1)


def due_at(starts_on: date, due_day: int, timezone: str) -> datetime:
    """"By day N" ends at midnight after day N on the intake's clock, as an aware UTC time."""
    midnight = datetime.combine(day_date(starts_on, due_day + 1), time(0), ZoneInfo(timezone))
    return midnight.astimezone(ZoneInfo("UTC"))


def day_number(starts_on: date, moment: datetime, timezone: str) -> int:
    """Which day of the intake `moment` falls on, on the intake's clock (0 or less: before
    the first day)."""
    local = moment.astimezone(ZoneInfo(timezone)).date()
    return (local - starts_on).days + 1


def intake_problems(*, starts_on: date, ends_on: date, seats: int,
                    days: Mapping[str, int]) -> dict[str, str]:
    """What is wrong with an intake's plan, by field: "order" (ends before it starts),
    "seats" (fewer than one), "negative" or "too_many" days of the modality mix (more than
    the intake lasts)."""
    problems: dict[str, str] = {}
    if ends_on < starts_on:
        problems["ends_on"] = "order"
    if seats < 1:
        problems["seats"] = "seats"
    for name, value in days.items():
        if value < 0:
            problems[name] = "negative"
    if "ends_on" not in problems and sum(max(v, 0) for v in days.values()) \
            > length_in_days(starts_on, ends_on):
        problems["days"] = "too_many"
    return problems


# --- where a learner stands --------------------------------------------------------------

DONE, ON_TRACK, BEHIND = "done", "on_track", "behind"
STATES = (DONE, ON_TRACK, BEHIND)


@dataclass(frozen=True)
class Deadline:
    module_id: int
    due_at: datetime


def cell_state(course_completed: bool, deadlines: Iterable[Deadline],
               modules_done: Iterable[int], now: datetime) -> str:
    """A learner's state in one course of their intake: done when the course is complete;
    behind when a deadline of one of its modules has passed with the module not complete;
    else on track (a deadline still ahead is never "behind")."""
    if course_completed:
        return DONE
    done = set(modules_done)
    if any(d.due_at <= now and d.module_id not in done for d in deadlines):
        return BEHIND
    return ON_TRACK


def state_counts(states: Iterable[str]) -> dict[str, int]:
    counts = dict.fromkeys(STATES, 0)
    for state in states:
        counts[state] += 1
    return counts


def seats_left(seats: int, members: int) -> int:
    return max(seats - members, 0)
