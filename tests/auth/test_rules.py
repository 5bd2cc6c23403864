"""Pure rules of the log-in limits."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.auth.rules import AttemptLimit, lock_begins, locked_until, minutes_to_wait

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FIVE = AttemptLimit(5, timedelta(minutes=15))


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_limits_are_read_as_operators_write_them() -> None:
    assert AttemptLimit.parse("5 per 15 minutes") == FIVE
    assert AttemptLimit.parse("50/15 minutes") == AttemptLimit(50, timedelta(minutes=15))
    assert AttemptLimit.parse("3 per hour") == AttemptLimit(3, timedelta(hours=1))
    for wrong in ("five a while", "", "5/minute;10/hour", "0 per minute"):
        with pytest.raises(ValueError):
            AttemptLimit.parse(wrong)


def test_fewer_checks_than_the_limit_do_not_lock() -> None:
    assert locked_until([], FIVE, T0) is None
    assert locked_until([at(0), at(1), at(2), at(3)], FIVE, at(4)) is None


def test_the_limit_locks_until_the_oldest_leaves_the_window() -> None:
    checks = [at(0), at(1), at(2), at(3), at(4)]
    assert locked_until(checks, FIVE, at(4)) == at(15)
    assert locked_until(checks, FIVE, at(14.99)) == at(15)
    assert locked_until(checks, FIVE, at(15)) is None  # one more check may start


def test_only_the_newest_checks_decide_and_old_ones_expire() -> None:
    checks = [at(-30), at(-20), at(0), at(1), at(2), at(3), at(10)]
    # In the window at 10: 0, 1, 2, 3, 10. The lock lifts when 0 leaves it.
    assert locked_until(checks, FIVE, at(10)) == at(15)
    assert locked_until(checks, FIVE, at(15)) is None
    assert locked_until(checks[::-1], FIVE, at(10)) == at(15)  # order does not matter


def test_more_checks_than_the_limit_lock_until_enough_have_left() -> None:
    # Seven in the window (say, counted under an older, larger limit): five must remain.
    checks = [at(0), at(1), at(2), at(3), at(4), at(5), at(6)]
    assert locked_until(checks, FIVE, at(6)) == at(17)


def test_lock_begins_with_the_failure_that_reaches_the_limit_only() -> None:
    four = [at(0), at(1), at(2), at(3)]
    assert lock_begins(four[:3], at(3), FIVE, at(3)) is None
    assert lock_begins(four, at(4), FIVE, at(4)) == at(15)
    # Already locked without it: not a new lock (no second event for the same lock).
    assert lock_begins([*four, at(4)], at(4.5), FIVE, at(4.5)) is None
    # A new lock after the first has lifted.
    assert lock_begins([at(1), at(2), at(3), at(4)], at(15), FIVE, at(15)) == at(16)


def test_minutes_to_wait_round_up_and_are_at_least_one() -> None:
    assert minutes_to_wait(at(12), at(0)) == 12
    assert minutes_to_wait(at(11.01), at(0)) == 12
    assert minutes_to_wait(at(0.1), at(0)) == 1
    assert minutes_to_wait(at(0), at(0)) == 1


@given(st.lists(st.floats(min_value=0, max_value=120), max_size=60),
       st.integers(min_value=1, max_value=6), st.integers(min_value=1, max_value=30))
def test_following_the_rule_never_allows_more_than_the_limit_in_any_window(
        arrivals: list[float], amount: int, minutes: int) -> None:
    """Whatever the attempts, the checks the rule lets start never exceed `amount` in any
    window, and an attempt is refused only while `amount` checks lie in the window."""
    limit = AttemptLimit(amount, timedelta(minutes=minutes))
    started: list[datetime] = []
    for moment in sorted(at(m) for m in arrivals):
        until = locked_until(started, limit, moment)
        if until is None:
            started.append(moment)
        else:
            assert until > moment
            assert sum(1 for s in started if s > moment - limit.window) >= amount
    for start in started:
        in_window = [s for s in started if start <= s < start + limit.window]
        assert len(in_window) <= amount
