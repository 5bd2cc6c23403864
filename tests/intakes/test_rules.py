"""The pure rules of programmes and intakes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.intakes.rules import (
    BEHIND,
    DONE,
    ON_TRACK,
    Deadline,
    ProgrammeLine,
    Requirement,
    cell_state,
    day_date,
    day_number,
    due_at,
    intake_problems,
    length_in_days,
    requirement_covers,
    requirement_met,
    requirement_problem,
    seats_left,
    state_counts,
)

LINES = [ProgrammeLine(1, "virtual"), ProgrammeLine(2, "virtual"), ProgrammeLine(3, "classroom"),
         ProgrammeLine(4, "hands-on")]


def test_all_needs_every_course() -> None:
    rule = Requirement("all")
    assert not requirement_met(rule, LINES, {1, 2, 3})
    assert requirement_met(rule, LINES, {1, 2, 3, 4})
    assert requirement_met(rule, LINES, {1, 2, 3, 4, 99})  # other courses do not matter


@pytest.mark.parametrize(("done", "met"), [(set(), False), ({1}, False), ({1, 4}, True),
                                           ({1, 2, 3}, True), ({7, 8}, False)])
def test_n_of_m_counts_the_programmes_courses_only(done: set[int], met: bool) -> None:
    assert requirement_met(Requirement("n_of_m", 2), LINES, done) is met


def test_by_modality_needs_each_modality_asked_for() -> None:
    rule = Requirement("modality", per_modality={"virtual": 1, "hands-on": 1})
    assert not requirement_met(rule, LINES, {1, 2})
    assert not requirement_met(rule, LINES, {3, 4})
    assert requirement_met(rule, LINES, {2, 4})
    assert [line.course_id for line in requirement_covers(rule, LINES)] == [1, 2, 4]


@pytest.mark.parametrize(("rule", "lines", "problem"), [
    (Requirement("all"), [], "no_courses"),
    (Requirement("n_of_m", 0), LINES, "count_range"),
    (Requirement("n_of_m", 5), LINES, "count_range"),
    (Requirement("n_of_m", None), LINES, "count_range"),
    (Requirement("n_of_m", 4), LINES, None),
    (Requirement("modality", per_modality={}), LINES, "modality_none"),
    (Requirement("modality", per_modality={"virtual": 0}), LINES, "modality_none"),
    (Requirement("modality", per_modality={"classroom": 2}), LINES, "modality_short"),
    (Requirement("modality", per_modality={"online": 1}), LINES, "modality_unknown"),
    (Requirement("modality", per_modality={"virtual": -1, "hands-on": 1}), LINES,
     "modality_unknown"),
    (Requirement("most"), LINES, "unknown_kind"),
])
def test_requirements_that_cannot_be_met_are_named(rule: Requirement,
                                                   lines: list[ProgrammeLine],
                                                   problem: str | None) -> None:
    assert requirement_problem(rule, lines) == problem
    if problem is not None:  # and they are never met, whatever is done
        assert not requirement_met(rule, lines, {1, 2, 3, 4})


def test_an_empty_programme_is_never_complete() -> None:
    assert not requirement_met(Requirement("all"), [], set())


def test_days_of_an_intake() -> None:
    start = date(2022, 7, 18)
    assert length_in_days(start, date(2022, 7, 29)) == 12
    assert day_date(start, 1) == start and day_date(start, 3) == date(2022, 7, 20)
    # "by day 3" ends at midnight after 20 July in Seoul: 15:00 UTC that day.
    assert due_at(start, 3, "Asia/Seoul") == datetime(2022, 7, 20, 15, 0, tzinfo=UTC)
    assert day_number(start, datetime(2022, 7, 17, 15, 0, tzinfo=UTC), "Asia/Seoul") == 1
    assert day_number(start, datetime(2022, 7, 17, 14, 59, tzinfo=UTC), "Asia/Seoul") == 0


def test_the_plan_of_an_intake() -> None:
    ok = {"virtual_days": 5, "classroom_days": 2, "hands_on_days": 1}
    assert intake_problems(starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 8), seats=10,
                           days=ok) == {}
    assert intake_problems(starts_on=date(2026, 1, 8), ends_on=date(2026, 1, 1), seats=0,
                           days={"virtual_days": -1}) == {"ends_on": "order", "seats": "seats",
                                                           "virtual_days": "negative"}
    assert intake_problems(starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 7), seats=1,
                           days=ok) == {"days": "too_many"}


NOW = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
PAST, LATER = Deadline(10, datetime(2026, 3, 11, tzinfo=UTC)), \
    Deadline(11, datetime(2026, 3, 13, tzinfo=UTC))


def test_a_cell_is_done_when_the_course_is_whatever_the_deadlines() -> None:
    assert cell_state(True, [PAST], [], NOW) == DONE


def test_a_cell_is_behind_only_when_a_passed_deadline_is_not_met() -> None:
    assert cell_state(False, [PAST, LATER], [], NOW) == BEHIND
    assert cell_state(False, [PAST, LATER], [10], NOW) == ON_TRACK
    assert cell_state(False, [LATER], [], NOW) == ON_TRACK  # still ahead
    assert cell_state(False, [], [], NOW) == ON_TRACK
    exactly = Deadline(12, NOW)
    assert cell_state(False, [exactly], [], NOW) == BEHIND  # due at midnight: now is past it


def test_counts_and_seats() -> None:
    assert state_counts([DONE, BEHIND, DONE]) == {DONE: 2, ON_TRACK: 0, BEHIND: 1}
    assert seats_left(30, 12) == 18 and seats_left(3, 5) == 0
