"""A call's quotas, and the proposal that fills its places in rank order while keeping to
them. Pure: neither Flask nor the database.

A call's quotas are a dict (every key optional):

    {"country_max": 4,               # at most this many selected per country
     "country_max_by": {"KR": 8},    # a different maximum for some countries
     "country_min": {"KR": 2},       # at least this many, where enough eligible ones applied
     "organisation_max": 2,          # at most this many from one organisation
     "gender_target": {"female": 50}}  # a share in percent, shown to the committee only

The committee reads why a candidate was passed over as a `Skip`: "country cap reached:
Nigeria 8/8" is Skip("country_cap", country="NG", count=8, cap=8), worded by the page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.calls.problems import N_, Problem

QUOTA_KEYS = ("country_max", "country_max_by", "country_min", "organisation_max",
              "gender_target")
# Why a candidate was not selected by the proposal.
SKIP_KINDS = (
    "not_eligible",
    "not_scored",  # no reviewer has scored it
    "country_cap",
    "organisation_cap",
    "reserved",  # the places left are held for a country's minimum
    "places_filled",
)


@dataclass(frozen=True)
class Candidate:
    application_id: int
    country: str | None  # nationality
    organisation: str = ""
    gender: str | None = None
    eligible: bool = True
    mean: float | None = None  # the mean of its reviewers' latest totals


@dataclass(frozen=True)
class Skip:
    kind: str  # one of SKIP_KINDS
    country: str | None = None
    organisation: str | None = None
    count: int | None = None
    cap: int | None = None


@dataclass(frozen=True)
class Proposal:
    selected: tuple[int, ...]  # application ids, in rank order
    waitlist: tuple[int, ...]  # eligible and scored but not selected, in rank order
    skips: Mapping[int, Skip] = field(default_factory=dict)  # every one not selected
    shortfalls: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # minimum unmet


def organisation_key(name: str) -> str:
    """Organisations compared as a committee would: case and spacing do not matter."""
    return " ".join(name.casefold().split())


def quota_problems(quotas: Any, known_country: Callable[[str], bool]) -> list[Problem]:
    """Everything wrong with a call's quotas, all at once, keyed by quota."""
    if not isinstance(quotas, dict):
        return [Problem("", N_("The quotas must be a mapping."))]
    problems = [Problem(key, N_("Unknown quota %(quota)s."), {"quota": key})
                for key in sorted(set(quotas) - set(QUOTA_KEYS))]
    for name in ("country_max", "organisation_max"):
        value = quotas.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or value < 1):
            problems.append(Problem(name, N_("Give a whole number of at least 1.")))
    for name in ("country_max_by", "country_min"):
        by = quotas.get(name, {})
        if not isinstance(by, dict) or not all(
                isinstance(country, str) and known_country(country) and isinstance(n, int)
                and not isinstance(n, bool) and n >= (0 if name == "country_max_by" else 1)
                for country, n in by.items()):
            problems.append(Problem(name, N_("Give each country by its code, with a whole "
                                             "number.")))
    lows, highs = quotas.get("country_min") or {}, quotas.get("country_max_by") or {}
    if isinstance(lows, dict) and isinstance(highs, dict):
        for country, low in sorted(lows.items()):
            high = highs.get(country, quotas.get("country_max"))
            if isinstance(high, int) and isinstance(low, int) and low > high:
                problems.append(Problem("country_min", N_("The minimum for %(country)s is "
                                                          "more than its maximum."),
                                        {"country": country}))
    target = quotas.get("gender_target", {})
    if not isinstance(target, dict) or not all(
            isinstance(share, (int, float)) and not isinstance(share, bool)
            and 0 <= share <= 100 for share in target.values()):
        problems.append(Problem("gender_target", N_("Give each gender's target as a "
                                                    "percentage from 0 to 100.")))
    elif sum(target.values()) > 100:
        problems.append(Problem("gender_target", N_("The gender targets add up to more than "
                                                    "a hundred percent.")))
    return problems


def country_cap(quotas: Mapping[str, Any], country: str | None) -> int | None:
    by = quotas.get("country_max_by") or {}
    if country in by:
        return int(by[country])
    cap = quotas.get("country_max")
    return int(cap) if cap is not None else None


def fits(candidate: Candidate, holding: Iterable[Candidate], quotas: Mapping[str, Any]
         ) -> Skip | None:
    """Whether one more place for `candidate` keeps to the caps, given those who hold a
    place already; the Skip that says why not."""
    held = list(holding)
    cap = country_cap(quotas, candidate.country)
    if cap is not None:
        count = sum(1 for other in held if other.country == candidate.country)
        if count >= cap:
            return Skip("country_cap", country=candidate.country, count=count, cap=cap)
    organisation_cap = quotas.get("organisation_max")
    key = organisation_key(candidate.organisation)
    if organisation_cap is not None and key:
        count = sum(1 for other in held if organisation_key(other.organisation) == key)
        if count >= organisation_cap:
            return Skip("organisation_cap", organisation=candidate.organisation,
                        count=count, cap=int(organisation_cap))
    return None


def rank(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Scored before unscored, then by mean score, highest first; ties keep the order the
    caller gave (the board passes them in order of submission)."""
    listed = list(candidates)
    return sorted(listed, key=lambda c: (c.mean is None, -(c.mean or 0.0)))


def propose(ranked: Sequence[Candidate], places: int, quotas: Mapping[str, Any]) -> Proposal:
    """Fill `places` in the order given while keeping to every cap, holding places for the
    country minimums that the eligible candidates can meet; everyone else eligible and
    scored goes on the waitlist in the same order."""
    usable = [c for c in ranked if c.eligible and c.mean is not None]
    skips: dict[int, Skip] = {}
    for candidate in ranked:
        if not candidate.eligible:
            skips[candidate.application_id] = Skip("not_eligible", country=candidate.country)
        elif candidate.mean is None:
            skips[candidate.application_id] = Skip("not_scored", country=candidate.country)
    available = Counter(c.country for c in usable)
    minimums = {country: min(int(n), available[country])
                for country, n in (quotas.get("country_min") or {}).items()}
    selected: list[Candidate] = []

    def still_needed(country: str | None) -> int:
        """Places held for the other countries' minimums."""
        counts = Counter(c.country for c in selected)
        return sum(max(0, n - counts[other]) for other, n in minimums.items()
                   if other != country)

    for candidate in usable:
        if len(selected) >= places:
            skips[candidate.application_id] = Skip("places_filled")
            continue
        refusal = fits(candidate, selected, quotas)
        if refusal is None and places - len(selected) <= still_needed(candidate.country):
            refusal = Skip("reserved", country=candidate.country)
        if refusal is not None:
            skips[candidate.application_id] = refusal
            continue
        selected.append(candidate)
    # A minimum the caps kept from being met frees the places it held.
    for candidate in usable:
        if len(selected) >= places:
            break
        skip = skips.get(candidate.application_id)
        if skip is not None and skip.kind in ("reserved", "places_filled") \
                and fits(candidate, selected, quotas) is None:
            selected.append(candidate)
            del skips[candidate.application_id]
    chosen = {c.application_id for c in selected}
    order = {c.application_id: i for i, c in enumerate(usable)}
    counts = Counter(c.country for c in selected)
    return Proposal(
        selected=tuple(sorted(chosen, key=order.__getitem__)),
        waitlist=tuple(c.application_id for c in usable if c.application_id not in chosen),
        skips=skips,
        shortfalls={country: (counts[country], int(n))
                    for country, n in (quotas.get("country_min") or {}).items()
                    if counts[country] < int(n)})


def next_offer(waitlist: Sequence[Candidate], holding: Iterable[Candidate],
               quotas: Mapping[str, Any]) -> Candidate | None:
    """The first one on the waitlist (in its order) whom one more place keeps to the caps,
    given those who hold a place (accepted or confirmed)."""
    held = list(holding)
    return next((c for c in waitlist if fits(c, held, quotas) is None), None)


def gender_balance(selected: Iterable[Candidate], target: Mapping[str, float]
                   ) -> dict[str, tuple[int, float, float | None]]:
    """For each gender in the selection or the target: (count, share in percent, target
    share or None)."""
    chosen = list(selected)
    counts = Counter(c.gender or "unknown" for c in chosen)
    total = len(chosen) or 1
    return {gender: (counts[gender], 100.0 * counts[gender] / total, target.get(gender))
            for gender in sorted(set(counts) | set(target))}
