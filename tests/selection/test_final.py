"""The final list: the proposal with the committee's overrides, the waitlist renumbered, and
every departure from the places and quotas as a warning."""

from __future__ import annotations

from app.calls.quotas import Candidate, propose, rank
from app.selection.final import Warning, apply_overrides


def _people(*specs: tuple[str, float | None]) -> list[Candidate]:
    return rank(Candidate(n, country, organisation=f"Org {n}", mean=mean)
                for n, (country, mean) in enumerate(specs, start=1))


def _final(ranked: list[Candidate], places: int, quotas: dict, overrides: dict[int, str]):
    return apply_overrides(ranked, propose(ranked, places, quotas), overrides, places, quotas)


def test_without_overrides_the_final_list_is_the_proposal() -> None:
    ranked = _people(("NG", 9), ("NG", 8), ("NG", 7), ("KE", 6), ("GH", None))
    final = _final(ranked, 2, {"country_max": 2}, {})
    assert [(p.application_id, p.outcome, p.waitlist_rank) for p in final.placements] == [
        (1, "accepted", None), (2, "accepted", None), (3, "waitlisted", 1),
        (4, "waitlisted", 2), (5, "regretted", None)]
    assert all(not p.overridden and p.proposed == p.outcome for p in final.placements)
    assert final.accepted == 2
    assert final.warnings == (Warning("not_scored", count=1),)


def test_an_override_renumbers_the_waitlist_in_rank_order() -> None:
    ranked = _people(("NG", 9), ("KE", 8), ("GH", 7), ("RW", 6), ("UG", 5))
    final = _final(ranked, 2, {}, {2: "waitlisted", 4: "regretted"})
    outcome = {p.application_id: (p.outcome, p.waitlist_rank) for p in final.placements}
    assert outcome == {1: ("accepted", None), 2: ("waitlisted", 1), 3: ("waitlisted", 2),
                       4: ("regretted", None), 5: ("waitlisted", 3)}
    assert final.accepted == 1
    assert [p.application_id for p in final.with_outcome("waitlisted")] == [2, 3, 5]
    assert {p.application_id for p in final.placements if p.overridden} == {2, 4}
    assert final.warnings == ()


def test_an_override_past_the_places_and_the_cap_is_kept_with_warnings() -> None:
    ranked = _people(("NG", 9), ("NG", 8), ("NG", 7), ("KE", 6))
    final = _final(ranked, 2, {"country_max": 2}, {3: "accepted", 4: "accepted"})
    assert final.accepted == 4
    assert final.warnings == (Warning("over_places", count=4, limit=2),
                              Warning("country_cap", count=3, limit=2, country="NG"))


def test_organisation_caps_and_minimums_are_checked_on_the_final_list() -> None:
    ranked = [Candidate(1, "NG", "Biovax", mean=9), Candidate(2, "NG", "BIOVAX ", mean=8),
              Candidate(3, "RW", "Rwanda Bio", mean=5), Candidate(4, "KE", "Kenya Bio", mean=4)]
    quotas = {"organisation_max": 1, "country_min": {"RW": 1}}
    final = _final(ranked, 2, quotas, {2: "accepted", 3: "regretted"})
    assert Warning("organisation_cap", count=2, limit=1, organisation="Biovax") \
        in final.warnings
    assert Warning("country_min", count=0, limit=1, country="RW") in final.warnings


def test_a_minimum_nobody_eligible_can_meet_is_no_warning() -> None:
    ranked = _people(("NG", 9), ("KE", 8))
    final = _final(ranked, 2, {"country_min": {"RW": 1}}, {})
    assert final.warnings == ()


def test_accepting_the_ineligible_or_the_unscored_is_warned() -> None:
    ranked = rank([Candidate(1, "NG", mean=9), Candidate(2, "KR", eligible=False, mean=10),
                   Candidate(3, "KE", mean=None)])
    final = _final(ranked, 3, {}, {2: "accepted", 3: "accepted"})
    assert final.accepted == 3
    kinds = [(w.kind, w.application_id) for w in final.warnings]
    assert ("accepted_not_eligible", 2) in kinds and ("accepted_not_scored", 3) in kinds
    assert ("not_scored", None) in kinds


def test_an_override_to_the_proposed_outcome_still_counts_as_the_committees() -> None:
    ranked = _people(("NG", 9), ("KE", 8))
    final = _final(ranked, 1, {}, {1: "accepted"})
    first = final.placements[0]
    assert first.outcome == first.proposed == "accepted" and first.overridden
