"""The reports' pure rules: small-count suppression above all."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.reports.rules import (
    PRIMARY,
    SECONDARY,
    AttendedSession,
    band_label,
    band_of,
    funnel,
    hide_small,
    hours_by_modality,
    lmic_share,
    recoverable,
    suppress,
    suppress_grouped,
)


def test_counts_under_five_are_shown_as_under_five() -> None:
    done = suppress([12, 0, 7, 9], total_published=False)
    assert done.shown() == [12, 0, 7, 9]
    done = suppress([12, 3, 7, 9], total_published=False)
    assert done.shown() == [12, "<5", 7, 9]


def test_a_lone_hidden_cell_takes_the_smallest_other_with_it() -> None:
    """30 less 12, 7 and 9 would give the 2 away."""
    done = suppress([12, 2, 7, 9])
    assert done.shown() == [12, "<5", SECONDARY, 9]
    assert done.shown_total() == 30


def test_two_hidden_cells_that_the_total_would_pin_take_a_third() -> None:
    """With 1 and 5 hidden a reader knows the pair adds to 6, that the first is 1 to 4 and
    that the second is at least 5: so it is 5 and the first is 1."""
    done = suppress([1, 5, 20])
    assert done.marks == (PRIMARY, SECONDARY, SECONDARY)
    assert not recoverable(done.values, done.marks)


def test_all_small_cells_that_add_up_to_a_giveaway_hide_the_total() -> None:
    """Two cells of 4 and a total of 8: each must be 4."""
    done = suppress([4, 4, 0])
    assert done.shown() == ["<5", "<5", 0]
    assert done.shown_total() == SECONDARY


def test_a_total_under_five_is_hidden_itself() -> None:
    done = suppress([1, 2])
    assert done.shown() == ["<5", "<5"] and done.shown_total() == PRIMARY


def test_nothing_hidden_leaves_the_table_alone() -> None:
    done = suppress([5, 6, 0, 50])
    assert done.shown() == [5, 6, 0, 50] and done.shown_total() == 61


def _solutions(values: tuple[int, ...], marks: tuple[str, ...]) -> set[tuple[int, ...]]:
    """Every table a reader could believe from what a publication shows, by brute force:
    the same shown cells and total, "<5" cells in 1..4, "x" cells at least 5 and at most
    the smallest count shown."""
    hidden = [i for i, mark in enumerate(marks) if mark]
    shown_positive = [v for v, m in zip(values, marks, strict=True) if not m and v > 0]
    ceiling = min(shown_positive, default=sum(values))
    ranges = [range(1, 5) if marks[i] == PRIMARY else range(5, ceiling + 1) for i in hidden]
    target = sum(values[i] for i in hidden)
    return {combo for combo in itertools.product(*ranges) if sum(combo) == target}


@settings(deadline=None)  # the brute force below takes a while on a busy machine
@given(st.lists(st.integers(min_value=0, max_value=14), min_size=1, max_size=5))
def test_no_suppressed_cell_can_be_worked_out_from_the_total(values: list[int]) -> None:
    done = suppress(values)
    hidden = [i for i, mark in enumerate(done.marks) if mark]
    assert all(done.marks[i] == PRIMARY for i, v in enumerate(values) if 0 < v < 5)
    if done.total_mark or not hidden:
        return
    solutions = _solutions(done.values, done.marks)
    for place in range(len(hidden)):
        assert len({combo[place] for combo in solutions}) > 1, (values, done.marks)


def test_grouped_tables_are_protected_in_each_group() -> None:
    """Countries split into LMICs and the rest, each subtotal published: a lone small
    country in a group takes that group's next smallest with it, not another group's."""
    done = suppress_grouped([3, 20, 9, 40, 6], ["lmic", "lmic", "lmic", "other", "other"])
    assert done.shown() == ["<5", 20, SECONDARY, 40, 6]
    assert done.shown_total() == 78


def test_a_stage_alone_hides_only_itself() -> None:
    assert [hide_small(n) for n in (0, 1, 4, 5)] == [0, "<5", "<5", 5]


def test_funnel_shares_of_the_first_and_the_previous_stage() -> None:
    stages = funnel([("enrolled", 20), ("started", 16), ("completed", 8), ("certified", 0)])
    assert [(s.count, s.base, s.previous) for s in stages] == [
        (20, 20, 20), (16, 20, 20), (8, 20, 16), (0, 20, 8)]
    assert stages[2].of_base == 0.4 and stages[2].of_previous == 0.5
    assert funnel([("enrolled", 0)])[0].of_base is None


def test_score_bands() -> None:
    assert [band_of(p) for p in (0, 9.99, 10, 55, 89.9, 90, 100, 130, -3)] == [
        0, 0, 1, 5, 8, 9, 9, 9, 0]
    assert band_label(0) == "0\u20139" and band_label(9) == "90\u2013100"


def test_hours_by_modality_adds_module_minutes_and_sessions_attended() -> None:
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    sessions = [AttendedSession("classroom", start, start + timedelta(hours=2), 10),
                AttendedSession("hands-on", start, start + timedelta(minutes=90), 4)]
    assert hours_by_modality({"virtual": 600, "hands-on": 60}, sessions,
                             ("virtual", "classroom", "hands-on")) == {
        "virtual": 10.0, "classroom": 20.0, "hands-on": 7.0}


def test_lmic_share_counts_people_and_countries() -> None:
    counts = {"AR": 5, "KR": 3, None: 2, "BD": 4}
    assert lmic_share(counts, {"AR": True, "BD": True, "KR": False}) == (9, 14, 2)
