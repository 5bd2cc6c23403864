"""The final list of a selection: the proposal with the committee's overrides applied, and
what in it departs from the call's places and quotas. Pure: neither Flask nor the database.

The proposal (app/calls/quotas.py) selects, waitlists or passes over every candidate; an
override puts one candidate on "accepted", "waitlisted" or "regretted" whatever the
proposal said. An override that exceeds the places or breaks a quota is allowed: the
committee decides, and the page shows it as a `Warning`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.calls.quotas import Candidate, Proposal, country_cap, organisation_key

OUTCOMES = ("accepted", "waitlisted", "regretted")
# The override that takes the earlier ones back (SelectionOverride.outcome).
BACK_TO_PROPOSAL = "proposal"
# Why a final list departs from the places or the quotas.
WARNING_KINDS = (
    "over_places",  # more accepted than the call has places
    "country_cap",  # a country above its cap
    "organisation_cap",  # an organisation above its cap
    "country_min",  # a country below a minimum its eligible candidates could meet
    "accepted_not_eligible",  # an override accepts someone not eligible
    "accepted_not_scored",  # an override accepts someone nobody scored
    "not_scored",  # eligible applications no reviewer has scored: regretted unread
)


@dataclass(frozen=True)
class Placement:
    """One candidate's place in the final list."""

    application_id: int
    rank: int  # 1.. in the board's order
    proposed: str  # the proposal's outcome
    outcome: str  # after the override, if any
    overridden: bool  # the committee's override decides it
    waitlist_rank: int | None = None  # 1 = next in line


@dataclass(frozen=True)
class Warning:
    kind: str  # one of WARNING_KINDS
    count: int = 0
    limit: int | None = None
    country: str | None = None
    organisation: str | None = None
    application_id: int | None = None


@dataclass(frozen=True)
class FinalList:
    placements: tuple[Placement, ...]  # in rank order
    warnings: tuple[Warning, ...]

    def with_outcome(self, outcome: str) -> list[Placement]:
        placed = [p for p in self.placements if p.outcome == outcome]
        if outcome == "waitlisted":
            placed.sort(key=lambda p: p.waitlist_rank or 0)
        return placed

    @property
    def accepted(self) -> int:
        return sum(1 for p in self.placements if p.outcome == "accepted")

    @property
    def overridden(self) -> int:
        return sum(1 for p in self.placements if p.overridden)

    def by_application(self) -> dict[int, Placement]:
        return {p.application_id: p for p in self.placements}


def proposed_outcome(application_id: int, selected: set[int], waitlisted: set[int]) -> str:
    """Selected: accepted; on the waitlist: waitlisted; passed over otherwise: regretted."""
    if application_id in selected:
        return "accepted"
    return "waitlisted" if application_id in waitlisted else "regretted"


def apply_overrides(ranked: Sequence[Candidate], proposal: Proposal,
                    overrides: Mapping[int, str], places: int, quotas: Mapping[str, Any]
                    ) -> FinalList:
    """The proposal with each override in place of the proposed outcome; the waitlist
    renumbered 1..n in rank order; every departure from the places and quotas."""
    selected, waitlisted = set(proposal.selected), set(proposal.waitlist)
    placements: list[Placement] = []
    next_on_waitlist = 1
    for position, candidate in enumerate(ranked, start=1):
        proposed = proposed_outcome(candidate.application_id, selected, waitlisted)
        chosen = overrides.get(candidate.application_id)
        outcome = chosen if chosen in OUTCOMES else proposed
        waitlist_rank = None
        if outcome == "waitlisted":
            waitlist_rank, next_on_waitlist = next_on_waitlist, next_on_waitlist + 1
        placements.append(Placement(candidate.application_id, position, proposed, outcome,
                                    chosen in OUTCOMES, waitlist_rank))
    return FinalList(tuple(placements), tuple(final_warnings(ranked, placements, places,
                                                             quotas)))


def final_warnings(ranked: Sequence[Candidate], placements: Sequence[Placement], places: int,
                   quotas: Mapping[str, Any]) -> list[Warning]:
    """What a final list breaks: places, caps, minimums; whom it accepts unread or
    ineligible; who was never scored."""
    by_id = {c.application_id: c for c in ranked}
    accepted = [by_id[p.application_id] for p in placements if p.outcome == "accepted"]
    warnings: list[Warning] = []
    if len(accepted) > places:
        warnings.append(Warning("over_places", count=len(accepted), limit=places))
    countries = Counter(c.country for c in accepted)
    for country in sorted(c for c in countries if c):
        cap = country_cap(quotas, country)
        if cap is not None and countries[country] > cap:
            warnings.append(Warning("country_cap", count=countries[country], limit=cap,
                                    country=country))
    organisation_cap = quotas.get("organisation_max")
    if organisation_cap is not None:
        names: dict[str, str] = {}
        organisations: Counter[str] = Counter()
        for candidate in accepted:
            key = organisation_key(candidate.organisation)
            if key:
                names.setdefault(key, candidate.organisation)
                organisations[key] += 1
        for key in sorted(organisations):
            if organisations[key] > int(organisation_cap):
                warnings.append(Warning("organisation_cap", count=organisations[key],
                                        limit=int(organisation_cap),
                                        organisation=names[key]))
    usable = Counter(c.country for c in ranked if c.eligible and c.mean is not None)
    for country, low in sorted((quotas.get("country_min") or {}).items()):
        reachable = min(int(low), usable[country])
        if countries[country] < reachable:
            warnings.append(Warning("country_min", count=countries[country], limit=int(low),
                                    country=country))
    for candidate in accepted:
        if not candidate.eligible:
            warnings.append(Warning("accepted_not_eligible",
                                    application_id=candidate.application_id))
        elif candidate.mean is None:
            warnings.append(Warning("accepted_not_scored",
                                    application_id=candidate.application_id))
    unscored = sum(1 for c in ranked if c.eligible and c.mean is None)
    if unscored:
        warnings.append(Warning("not_scored", count=unscored))
    return warnings
