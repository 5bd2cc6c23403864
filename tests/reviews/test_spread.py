"""The spread of a call's applications over its reviewers, and the reviewer who takes one
over after a conflict: the pure rule (app/reviews/spread.py)."""

from __future__ import annotations

import time
from collections import Counter

from app.reviews.spread import Applicant, Held, Reviewer, pick_reviewer, spread

REVIEWERS = [Reviewer(101), Reviewer(102), Reviewer(103)]


def _applicants(count: int, organisation: str = "") -> list[Applicant]:
    return [Applicant(n, 1000 + n, organisation) for n in range(1, count + 1)]


def _loads(pairs: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> Counter[int]:
    return Counter(reviewer for _application, reviewer in pairs)


def test_each_application_gets_its_reviewers_and_the_load_is_within_one() -> None:
    result = spread(_applicants(10), REVIEWERS, [], 2)
    by_application = Counter(application for application, _reviewer in result.pairs)
    assert set(by_application.values()) == {2} and len(by_application) == 10
    assert len(set(result.pairs)) == 20  # never the same reviewer twice on one
    loads = _loads(result.pairs)
    assert max(loads.values()) - min(loads.values()) <= 1
    assert result.short == {}


def test_it_is_deterministic_whatever_the_order_of_its_inputs() -> None:
    applicants = _applicants(7)
    first = spread(applicants, REVIEWERS, [], 2)
    again = spread(list(reversed(applicants)), list(reversed(REVIEWERS)), [], 2)
    assert first == again


def test_never_the_applicant_nor_a_reviewer_who_declared_a_conflict() -> None:
    own = Applicant(1, applicant_id=101)  # reviewer 101 applied
    held = [Held(2, 102, conflict=True)]
    result = spread([own, Applicant(2, 2002)], REVIEWERS, held, 2)
    assert (1, 101) not in result.pairs
    assert (2, 102) not in result.pairs
    assert sorted(r for a, r in result.pairs if a == 1) == [102, 103]
    assert sorted(r for a, r in result.pairs if a == 2) == [101, 103]


def test_a_reviewer_of_the_same_organisation_only_when_no_other_is_free() -> None:
    reviewers = [Reviewer(101, "biovac nigeria"), Reviewer(102, ""), Reviewer(103, "")]
    result = spread([Applicant(1, 9, "biovac nigeria")], reviewers, [], 2)
    assert sorted(r for _a, r in result.pairs) == [102, 103]
    result = spread([Applicant(1, 9, "biovac nigeria")], reviewers, [], 3)
    assert sorted(r for _a, r in result.pairs) == [101, 102, 103]
    # An applicant without an organisation is no one's colleague.
    result = spread([Applicant(1, 9, "")], reviewers, [], 1)
    assert result.pairs == ((1, 101),)


def test_running_it_again_only_tops_up() -> None:
    applicants = _applicants(6)
    first = spread(applicants, REVIEWERS[:2], [], 2)
    held = [Held(a, r) for a, r in first.pairs]
    assert spread(applicants, REVIEWERS[:2], held, 2).pairs == ()
    # A new reviewer and a third review each: every application gets exactly one more, and
    # the newcomer, who holds nothing, takes the most.
    more = spread(applicants, REVIEWERS, held, 3)
    assert Counter(a for a, _r in more.pairs) == dict.fromkeys(range(1, 7), 1)
    assert _loads(more.pairs)[103] == 6
    # A conflict leaves the application one short: topped up by someone else.
    held = [Held(a, r, conflict=(a, r) == (1, 101)) for a, r in first.pairs]
    top_up = spread(applicants, REVIEWERS, held, 2)
    assert top_up.pairs == ((1, 103),)


def test_the_applications_nobody_is_free_for_are_reported_short() -> None:
    result = spread([Applicant(1, 101)], [Reviewer(101), Reviewer(102)], [], 2)
    assert result.pairs == ((1, 102),)
    assert result.short == {1: 1}
    assert spread(_applicants(2), [], [], 2).short == {1: 2, 2: 2}


def test_the_load_counts_what_reviewers_held_before() -> None:
    held = [Held(a, 101) for a in range(100, 105)]  # 101 holds five already
    result = spread(_applicants(4), REVIEWERS, held, 1)
    assert 101 not in _loads(result.pairs)
    # Conflicts are not load.
    held = [Held(a, 101, conflict=True) for a in range(100, 105)]
    assert _loads(spread(_applicants(3), REVIEWERS, held, 1).pairs) == {101: 1, 102: 1, 103: 1}


def test_pick_reviewer_takes_the_least_loaded_free_one() -> None:
    applicant = Applicant(1, 9, "acme")
    reviewers = [Reviewer(101), Reviewer(102, "acme"), Reviewer(103)]
    assert pick_reviewer(applicant, reviewers, {101}, {103: 4}) == 103
    assert pick_reviewer(applicant, reviewers, {101}, {103: 4, 102: 0}) == 103  # colleague last
    assert pick_reviewer(applicant, reviewers, {101, 103}, {}) == 102
    assert pick_reviewer(applicant, reviewers, {101, 102, 103}, {}) is None
    assert pick_reviewer(Applicant(1, 103), reviewers, {101, 102}, {}) is None


def test_three_thousand_applications_and_forty_reviewers_are_fast() -> None:
    reviewers = [Reviewer(n, f"org {n % 7}") for n in range(1, 41)]
    applicants = [Applicant(n, 10_000 + n, f"org {n % 11}") for n in range(1, 3001)]
    started = time.perf_counter()
    result = spread(applicants, reviewers, [], 2)
    elapsed = time.perf_counter() - started
    assert len(result.pairs) == 6000 and result.short == {}
    loads = _loads(result.pairs)
    assert max(loads.values()) - min(loads.values()) <= 1
    assert elapsed < 1.0, elapsed
