"""Pure rules of live sessions, and time zones."""

from datetime import UTC, datetime, timedelta

from app.classroom.rules import (
    Place,
    attendance_open,
    calendar_must_see,
    changeable,
    changed_fields,
    counts_as_attended,
    place_for_newcomer,
    promotions,
    registration_open,
    waitlist_position,
)
from app.core.zones import format_local, format_span, local_time, to_utc

T = datetime(2027, 3, 1, 0, 0, tzinfo=UTC)


def test_a_newcomer_takes_a_seat_until_the_session_is_full() -> None:
    assert place_for_newcomer(2, 0) == "registered"
    assert place_for_newcomer(2, 1) == "registered"
    assert place_for_newcomer(2, 2) == "waitlisted"
    assert place_for_newcomer(2, 3) == "waitlisted"  # capacity lowered after registrations


def test_waitlist_promotion_is_first_come_first_served() -> None:
    waiting = [Place(30, T + timedelta(minutes=5), 3), Place(10, T, 9), Place(20, T, 4)]
    # Equal times fall back to the order of the rows.
    assert promotions(3, 2, waiting) == [20]
    assert promotions(5, 2, waiting) == [20, 10, 30]
    assert promotions(2, 2, waiting) == []
    assert promotions(1, 3, waiting) == []  # over capacity: nobody moves up
    assert [waitlist_position(u, waiting) for u in (20, 10, 30, 99)] == [1, 2, 3, None]


def test_attendance_and_registration_windows() -> None:
    assert registration_open(T, T - timedelta(seconds=1))
    assert not registration_open(T, T)
    assert attendance_open(T, T - timedelta(hours=1))
    assert not attendance_open(T, T - timedelta(hours=1, seconds=1))
    assert [counts_as_attended(m) for m in ("present", "late", "absent", "excused", None)] == [
        True, True, False, False, False]


def test_nine_in_seoul_is_one_in_lagos() -> None:
    starts = to_utc(datetime(2027, 3, 1, 9, 0), "Asia/Seoul")
    assert starts == datetime(2027, 3, 1, 0, 0, tzinfo=UTC)
    assert local_time(starts, "Africa/Lagos").strftime("%H:%M") == "01:00"
    assert format_local(starts, "Africa/Lagos") == "Mon 1 Mar 2027, 01:00 (Africa/Lagos)"
    assert format_local(starts, "America/Sao_Paulo") == "Sun 28 Feb 2027, 21:00 (America/Sao Paulo)"


def test_daylight_saving_is_applied_by_date() -> None:
    summer = to_utc(datetime(2027, 7, 1, 9, 0), "Europe/Berlin")
    winter = to_utc(datetime(2027, 1, 15, 9, 0), "Europe/Berlin")
    assert (summer.hour, winter.hour) == (7, 8)


def test_a_span_names_the_date_once_unless_it_crosses_midnight() -> None:
    start = datetime(2027, 3, 1, 0, 0, tzinfo=UTC)
    assert format_span(start, start + timedelta(hours=2), "Africa/Lagos") == (
        "Mon 1 Mar 2027, 01:00 to 03:00 (Africa/Lagos)")
    assert format_span(start, start + timedelta(hours=2), "America/Sao_Paulo") == (
        "Sun 28 Feb 2027, 21:00 to 23:00 (America/Sao Paulo)")
    assert format_span(start, start + timedelta(hours=4), "America/Sao_Paulo") == (
        "Sun 28 Feb 2027, 21:00 to Mon 1 Mar 2027, 01:00 (America/Sao Paulo)")


def test_what_a_change_changes_and_whether_a_calendar_must_see_it() -> None:
    start = datetime(2026, 3, 9, tzinfo=UTC)
    before = {"starts_at": start, "capacity": 5, "location": "Room 2", "join_url": ""}
    assert changed_fields(before, dict(before)) == {}
    seats = changed_fields(before, {**before, "capacity": 8})
    assert seats == {"capacity": (5, 8)} and not calendar_must_see(seats)
    moved = changed_fields(before, {**before, "location": "Room 3", "capacity": 8})
    assert moved == {"location": ("Room 2", "Room 3"), "capacity": (5, 8)}
    assert calendar_must_see(moved)
    assert calendar_must_see(changed_fields(before, {**before, "join_url": "https://x.org/"}))
    assert calendar_must_see({"starts_at": (start, start + timedelta(hours=1))})
    assert changeable(start, None, start - timedelta(minutes=1))
    assert not changeable(start, None, start)  # ended
    assert not changeable(start, start - timedelta(days=1), start - timedelta(days=1))
