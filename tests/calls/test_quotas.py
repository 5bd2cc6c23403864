"""The proposal: places in rank order, every cap kept, minimums held, reasons for each skip."""

from __future__ import annotations

from app.calls.quotas import (
    Candidate,
    Skip,
    fits,
    gender_balance,
    next_offer,
    propose,
    quota_problems,
    rank,
)


def _people(*specs: tuple[str, float | None]) -> list[Candidate]:
    return [Candidate(n, country, organisation=f"Org {n}", mean=mean)
            for n, (country, mean) in enumerate(specs, start=1)]


def test_places_are_filled_in_rank_order() -> None:
    ranked = rank(_people(("NG", 10), ("KE", 30), ("GH", 20)))
    proposal = propose(ranked, 2, {})
    assert proposal.selected == (2, 3)
    assert proposal.waitlist == (1,)
    assert proposal.skips[1] == Skip("places_filled")


def test_a_country_cap_skips_with_its_count() -> None:
    ranked = _people(("NG", 9), ("NG", 8), ("NG", 7), ("KE", 6))
    proposal = propose(ranked, 3, {"country_max": 2})
    assert proposal.selected == (1, 2, 4)
    assert proposal.skips[3] == Skip("country_cap", country="NG", count=2, cap=2)
    assert proposal.waitlist == (3,)


def test_a_country_may_have_its_own_cap() -> None:
    ranked = _people(("KR", 9), ("KR", 8), ("KR", 7), ("NG", 6), ("NG", 5))
    proposal = propose(ranked, 5, {"country_max": 1, "country_max_by": {"KR": 3}})
    assert proposal.selected == (1, 2, 3, 4)
    assert proposal.skips[5].kind == "country_cap"


def test_an_organisation_cap_ignores_case_and_spacing() -> None:
    ranked = [Candidate(1, "NG", "Biovax  Ltd", mean=9), Candidate(2, "KE", "biovax ltd", mean=8),
              Candidate(3, "GH", "Other", mean=7)]
    proposal = propose(ranked, 3, {"organisation_max": 1})
    assert proposal.selected == (1, 3)
    assert proposal.skips[2] == Skip("organisation_cap", organisation="biovax ltd", count=1,
                                     cap=1)


def test_places_are_held_for_a_country_minimum() -> None:
    ranked = _people(("NG", 9), ("NG", 8), ("KE", 7), ("RW", 2))
    proposal = propose(ranked, 3, {"country_min": {"RW": 1}})
    assert proposal.selected == (1, 2, 4)
    assert proposal.skips[3] == Skip("reserved", country="KE")
    assert not proposal.shortfalls


def test_a_minimum_nobody_can_meet_holds_no_place() -> None:
    ranked = _people(("NG", 9), ("NG", 8), ("KE", 7))
    proposal = propose(ranked, 3, {"country_min": {"RW": 2}})
    assert proposal.selected == (1, 2, 3)
    assert proposal.shortfalls == {"RW": (0, 2)}


def test_a_minimum_blocked_by_a_cap_frees_its_places() -> None:
    ranked = [Candidate(1, "NG", "A", mean=9), Candidate(2, "KE", "B", mean=8),
              Candidate(3, "RW", "A", mean=7)]
    proposal = propose(ranked, 2, {"country_min": {"RW": 1}, "organisation_max": 1})
    assert proposal.selected == (1, 2)
    assert proposal.shortfalls == {"RW": (0, 1)}


def test_the_ineligible_and_unscored_are_neither_selected_nor_waitlisted() -> None:
    ranked = [Candidate(1, "NG", mean=9, eligible=False), Candidate(2, "KE", mean=None),
              Candidate(3, "GH", mean=1)]
    proposal = propose(rank(ranked), 5, {})
    assert proposal.selected == (3,)
    assert proposal.waitlist == ()
    assert proposal.skips[1].kind == "not_eligible" and proposal.skips[2].kind == "not_scored"


def test_ranking_puts_unscored_last_and_keeps_ties_in_given_order() -> None:
    ranked = rank(_people(("NG", None), ("KE", 5), ("GH", 5), ("RW", 6)))
    assert [c.application_id for c in ranked] == [4, 2, 3, 1]


def test_the_next_offer_is_the_first_on_the_waitlist_who_fits() -> None:
    holding = [Candidate(1, "NG", mean=9), Candidate(2, "NG", mean=8)]
    waitlist = [Candidate(3, "NG", mean=7), Candidate(4, "KE", mean=6)]
    assert next_offer(waitlist, holding, {"country_max": 2}) == waitlist[1]
    assert next_offer(waitlist, holding, {}) == waitlist[0]
    assert next_offer(waitlist[:1], holding, {"country_max": 2}) is None
    assert fits(waitlist[0], holding[:1], {"country_max": 2}) is None


def test_gender_balance_counts_shares_against_the_target() -> None:
    chosen = [Candidate(1, "NG", gender="female"), Candidate(2, "KE", gender="male"),
              Candidate(3, "GH", gender="female"), Candidate(4, "RW")]
    balance = gender_balance(chosen, {"female": 50})
    assert balance["female"] == (2, 50.0, 50)
    assert balance["unknown"] == (1, 25.0, None)


def test_quota_problems_are_all_reported() -> None:
    problems = quota_problems({"country_max": 0, "country_min": {"XX": 1, "NG": 5},
                               "country_max_by": {"NG": 2}, "gender_target": {"female": 120},
                               "colour": "blue"}, lambda code: code != "XX")
    assert {p.key for p in problems} == {"colour", "country_max", "country_min",
                                         "gender_target"}
    assert quota_problems({"country_max": 4, "country_min": {"NG": 1}}, lambda c: True) == []
