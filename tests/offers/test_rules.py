"""The pure rules of offers: free places, who is next, whether an offer may be answered."""

from datetime import UTC, datetime, timedelta

from app.calls.quotas import Candidate
from app.offers.rules import (
    free_places,
    letter_kind,
    may_answer,
    offers_to_make,
    overdue,
    respond_by,
)

NOW = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def c(i: int, country: str, organisation: str = "") -> Candidate:
    return Candidate(i, country, organisation or f"org {i}")


def test_free_places_never_go_below_nought() -> None:
    assert free_places(4, 3) == 1
    assert free_places(4, 4) == 0
    assert free_places(4, 6) == 0


def test_the_first_on_the_waitlist_gets_a_free_place() -> None:
    assert offers_to_make(2, [c(1, "NG")], [c(5, "KE"), c(6, "GH")], {}) == [c(5, "KE")]


def test_a_country_at_its_cap_is_passed_over_for_the_next_one() -> None:
    holding = [c(1, "NG"), c(2, "NG"), c(3, "KE")]
    waitlist = [c(4, "NG"), c(5, "NG"), c(6, "GH")]
    assert offers_to_make(4, holding, waitlist, {"country_max": 2}) == [c(6, "GH")]


def test_an_organisation_cap_holds_too() -> None:
    holding = [c(1, "NG", "Biovac")]
    waitlist = [c(4, "KE", " biovac "), c(5, "KE", "Other")]
    assert offers_to_make(2, holding, waitlist, {"organisation_max": 1}) == [c(5, "KE", "Other")]


def test_several_free_places_are_filled_in_order_each_counting_the_one_before() -> None:
    waitlist = [c(4, "NG"), c(5, "NG"), c(6, "NG"), c(7, "KE")]
    assert offers_to_make(3, [], waitlist, {"country_max": 2}) == [c(4, "NG"), c(5, "NG"),
                                                                   c(7, "KE")]


def test_nobody_is_offered_a_place_when_none_is_free_or_nobody_fits() -> None:
    assert offers_to_make(1, [c(1, "NG")], [c(2, "KE")], {}) == []
    assert offers_to_make(2, [c(1, "NG")], [c(2, "NG")], {"country_max": 1}) == []
    assert offers_to_make(2, [], [], {}) == []


def test_an_offer_is_answered_while_accepted_and_before_its_deadline() -> None:
    deadline = respond_by(NOW, 14)
    assert deadline == NOW + timedelta(days=14)
    assert may_answer("accepted", deadline, NOW)
    assert not may_answer("accepted", deadline, deadline)
    assert not may_answer("confirmed", deadline, NOW)
    assert not may_answer("accepted", None, NOW)
    assert overdue("accepted", deadline, deadline)
    assert not overdue("declined", deadline, deadline + timedelta(days=1))
    assert respond_by(NOW, 0) == NOW + timedelta(days=1)


def test_each_decided_state_is_owed_its_letter() -> None:
    assert letter_kind("accepted") == letter_kind("confirmed") == "acceptance"
    assert letter_kind("waitlisted") == "waitlist"
    assert letter_kind("regretted") == "regret"
    assert letter_kind("submitted") is None
