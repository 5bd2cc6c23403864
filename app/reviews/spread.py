"""Who reviews what: the even spread of a call's applications over its reviewers, and the
one reviewer who takes over an application when another declares a conflict. Pure: neither
Flask nor the database.

The rule, for each application in a stable order (its id):
- it needs `per_application` reviewers who hold it without a conflict;
- a reviewer is *free* for it unless they are its applicant, or already hold it (a
  declared conflict is held too: that reviewer never gets it back);
- of the free ones, a reviewer from another organisation than the applicant's comes before
  one from the same organisation (`organisation_key`: case and spacing do not matter), then
  the least loaded (applications held without a conflict, in the whole call, as the spread
  goes), then the reviewer's place in the call's list (their account id): so the same
  facts give the same assignment, and loads stay within one of each other whenever the
  exclusions allow it.

Running it again only tops up what is missing: what is held counts, and is never moved.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reviewer:
    user_id: int
    organisation: str = ""  # organisation_key of the reviewer's account


@dataclass(frozen=True)
class Applicant:
    application_id: int
    applicant_id: int
    organisation: str = ""  # organisation_key of the application


@dataclass(frozen=True)
class Held:
    """An assignment that exists: who holds which application, and whether they declared a
    conflict on it."""

    application_id: int
    reviewer_id: int
    conflict: bool = False


@dataclass(frozen=True)
class Spread:
    pairs: tuple[tuple[int, int], ...]  # (application id, reviewer id), new ones only
    # Applications still short of reviewers after the spread: id -> how many are missing.
    short: Mapping[int, int] = field(default_factory=dict)


def free_reviewers(applicant: Applicant, reviewers: Sequence[Reviewer], taken: set[int],
                   load: Mapping[int, int]) -> list[Reviewer]:
    """The reviewers free for the application, best first (see the module's rule)."""
    free = [reviewer for reviewer in reviewers
            if reviewer.user_id != applicant.applicant_id and reviewer.user_id not in taken]
    return sorted(free, key=lambda reviewer: (
        bool(applicant.organisation) and reviewer.organisation == applicant.organisation,
        load.get(reviewer.user_id, 0), reviewer.user_id))


def pick_reviewer(applicant: Applicant, reviewers: Sequence[Reviewer], taken: set[int],
                  load: Mapping[int, int]) -> int | None:
    """The one reviewer who takes the application over after a conflict (`taken`: who
    holds it already, the conflicted one included), or None when nobody is free for it."""
    free = free_reviewers(applicant, reviewers, taken, load)
    return free[0].user_id if free else None


def spread(applicants: Sequence[Applicant], reviewers: Sequence[Reviewer],
           held: Iterable[Held], per_application: int) -> Spread:
    """The assignments to add so that every application has `per_application` reviewers
    without a conflict, where enough of them are free for it."""
    by_application: dict[int, set[int]] = {}
    active: Counter[int] = Counter()
    load: Counter[int] = Counter()
    for row in held:
        by_application.setdefault(row.application_id, set()).add(row.reviewer_id)
        if not row.conflict:
            active[row.application_id] += 1
            load[row.reviewer_id] += 1
    ordered = sorted(reviewers, key=lambda reviewer: reviewer.user_id)
    pairs: list[tuple[int, int]] = []
    short: dict[int, int] = {}
    for applicant in sorted(applicants, key=lambda a: a.application_id):
        need = per_application - active[applicant.application_id]
        if need <= 0:
            continue
        taken = by_application.get(applicant.application_id, set())
        chosen = free_reviewers(applicant, ordered, taken, load)[:need]
        for reviewer in chosen:
            pairs.append((applicant.application_id, reviewer.user_id))
            load[reviewer.user_id] += 1
        if len(chosen) < need:
            short[applicant.application_id] = need - len(chosen)
    return Spread(tuple(pairs), short)
