"""A call's selection board, read in three statements and computed in Python: every
application on the board ranked by mean score, its reviews summed up, the proposal over all
of them, the final list with the committee's overrides, and the figures above the table.

The board is a frozen value: the pages, the decision and the benchmark read the same one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.calls.models import Call
from app.calls.quotas import (
    Candidate,
    Proposal,
    Skip,
    country_cap,
    gender_balance,
    propose,
    rank,
)
from app.calls.rules import ScoreSummary, rubric_max, summarise
from app.extensions import db
from app.selection.final import BACK_TO_PROPOSAL, FinalList, Placement, apply_overrides
from app.selection.queries import BOARD_APPLICATIONS, LATEST_OVERRIDES, LATEST_TOTALS


@dataclass(frozen=True)
class OverrideNote:
    outcome: str
    reason: str
    made_at: datetime
    made_by: str


@dataclass(frozen=True)
class BoardRow:
    application_id: int
    name: str
    state: str
    country: str | None
    organisation: str
    gender: str | None
    eligible: bool
    reasons: tuple[Mapping[str, Any], ...]  # eligibility.Reason.as_json, as kept
    submitted_at: datetime | None
    scores: ScoreSummary
    placement: Placement
    skip: Skip | None  # why the proposal did not select it
    override: OverrideNote | None
    waitlist_rank: int | None  # as decided


@dataclass(frozen=True)
class CountryLine:
    country: str
    applications: int
    eligible: int
    proposed: int
    accepted: int
    cap: int | None
    minimum: int | None

    @property
    def shortfall(self) -> int:
        return max(0, (self.minimum or 0) - self.accepted)


@dataclass(frozen=True)
class Board:
    call_id: int
    places: int
    rows: tuple[BoardRow, ...]  # in rank order
    proposal: Proposal
    final: FinalList
    countries: tuple[CountryLine, ...]
    genders: Mapping[str, tuple[int, float, float | None]]
    counts: Mapping[str, int]
    # The countries whose minimums the proposal holds places for.
    minimums: tuple[str, ...] = ()

    @property
    def states(self) -> dict[str, int]:
        """How many applications are in each state (after the decision: the outcomes)."""
        return dict(Counter(row.state for row in self.rows))

    def held_for(self, skip: Skip) -> list[str]:
        """The other countries whose minimums held the places a "reserved" skip missed."""
        return [country for country in self.minimums if country != skip.country]

    def row(self, application_id: int) -> BoardRow | None:
        return next((r for r in self.rows if r.application_id == application_id), None)


def read_board(call: Call) -> Board:
    """The board of `call`: three statements, whatever the number of applications."""
    params = {"call_id": call.id}
    applications = db.session.execute(BOARD_APPLICATIONS, params).all()
    totals: dict[int, list[int]] = defaultdict(list)
    for score in db.session.execute(LATEST_TOTALS, params):
        totals[score.application_id].append(score.total)
    overrides = {o.application_id: OverrideNote(o.outcome, o.reason, o.made_at, o.made_by_name)
                 for o in db.session.execute(LATEST_OVERRIDES, params)
                 if o.outcome != BACK_TO_PROPOSAL}
    maximum = rubric_max(call.rubric)
    summaries = {a.id: summarise(totals.get(a.id, []), maximum, call.disagreement_share)
                 for a in applications}
    ranked = rank(Candidate(a.id, a.nationality, a.organisation or "", a.gender,
                            bool(a.eligible), summaries[a.id].mean) for a in applications)
    quotas = call.quotas or {}
    proposal = propose(ranked, call.places, quotas)
    final = apply_overrides(ranked, proposal, {k: o.outcome for k, o in overrides.items()},
                            call.places, quotas)
    placements = final.by_application()
    by_id = {a.id: a for a in applications}
    rows = tuple(_row(by_id[c.application_id], summaries[c.application_id],
                      placements[c.application_id], proposal.skips.get(c.application_id),
                      overrides.get(c.application_id)) for c in ranked)
    accepted = [c for c in ranked if placements[c.application_id].outcome == "accepted"]
    countries = _countries(ranked, proposal, accepted, quotas)
    return Board(call.id, call.places, rows, proposal, final, countries,
                 gender_balance(accepted, quotas.get("gender_target") or {}),
                 _counts(rows, call.reviews_per_application),
                 tuple(line.country for line in countries if line.minimum and line.eligible))


def _row(application: Any, scores: ScoreSummary, placement: Placement, skip: Skip | None,
         override: OverrideNote | None) -> BoardRow:
    return BoardRow(application.id, application.applicant_name, application.state,
                    application.nationality, application.organisation or "",
                    application.gender, bool(application.eligible),
                    tuple(application.ineligible_reasons or ()), application.submitted_at,
                    scores, placement, skip, override, application.waitlist_rank)


def _countries(ranked: list[Candidate], proposal: Proposal, accepted: list[Candidate],
               quotas: Mapping[str, Any]) -> tuple[CountryLine, ...]:
    applied = Counter(c.country for c in ranked)
    eligible = Counter(c.country for c in ranked if c.eligible)
    chosen = set(proposal.selected)
    proposed = Counter(c.country for c in ranked if c.application_id in chosen)
    taken = Counter(c.country for c in accepted)
    minimums = quotas.get("country_min") or {}
    countries = sorted({c for c in applied if c} | set(minimums))
    return tuple(CountryLine(country, applied[country], eligible[country], proposed[country],
                             taken[country], country_cap(quotas, country),
                             minimums.get(country)) for country in countries)


def _counts(rows: tuple[BoardRow, ...], reviews_wanted: int) -> dict[str, int]:
    return {
        "applications": len(rows),
        "eligible": sum(1 for r in rows if r.eligible),
        "scored": sum(1 for r in rows if r.scores.count),
        "fully_reviewed": sum(1 for r in rows if r.scores.count >= reviews_wanted),
        "unscored_eligible": sum(1 for r in rows if r.eligible and not r.scores.count),
        "disagreements": sum(1 for r in rows if r.scores.disagreement),
        "overrides": sum(1 for r in rows if r.override is not None),
        "proposed": sum(1 for r in rows if r.placement.proposed == "accepted"),
        "accepted": sum(1 for r in rows if r.placement.outcome == "accepted"),
        "waitlisted": sum(1 for r in rows if r.placement.outcome == "waitlisted"),
        "regretted": sum(1 for r in rows if r.placement.outcome == "regretted"),
    }
