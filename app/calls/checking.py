"""What is wrong with a call as its author wrote it, all at once, each problem placed where
the page shows it: a setting of the form ("title", "closes_at"), a question of the form
builder ("form:<key>"), a criterion of the rubric ("rubric:<key>"), an eligibility rule
("eligibility:<rule>") or a quota ("quotas:<name>"); "form", "rubric" and "eligibility" for
the whole. Pure: neither Flask nor the database; the services add the checks that read it
(a code taken, an intake of another centre, a stale edit).

A draft may be saved half-written; publishing asks for everything an applicant needs
(`publish_problems`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.calls.eligibility import rule_problems
from app.calls.fields import field_kinds
from app.calls.models import CALL_KINDS
from app.calls.problems import N_, Problem
from app.calls.quotas import quota_problems
from app.calls.rules import rubric_problems

# The bounds of a call's review and retention options: (low, high).
OPTION_BOUNDS = {
    "reviews_per_application": (1, 10),
    "confirm_days": (1, 90),
    "retention_months": (1, 120),
}
# The organisation types an applicant says they work at (as in the intakes' CSV and the
# reports).
ORGANISATION_TYPES = ("manufacturer", "regulator", "academia", "government", "other")
MAX_PLACES = 100_000
MAX_DESCRIPTION = 20_000


@dataclass(frozen=True)
class CallPlan:
    """Everything the call form sends. Times are UTC (the form reads the wall clock in
    `timezone`); None where the author has not given one yet."""

    centre_id: int | None
    intake_id: int | None
    kind: str
    code: str
    title: str
    description: str = ""
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    timezone: str = "UTC"
    places: int | None = None
    languages: tuple[str, ...] = ("en",)
    eligibility: Mapping[str, Any] = field(default_factory=dict)
    form: Sequence[Mapping[str, Any]] = ()
    rubric: Sequence[Mapping[str, Any]] = ()
    quotas: Mapping[str, Any] = field(default_factory=dict)
    blind_review: bool = False
    reviews_per_application: int = 2
    disagreement_share: float = 0.25
    confirm_days: int = 14
    retention_months: int = 12
    asks_travel_details: bool = False


@dataclass(frozen=True)
class Placed:
    """A problem and where the page shows it."""

    where: str
    problem: Problem


def _placed(prefix: str, problems: Sequence[Problem]) -> list[Placed]:
    return [Placed(f"{prefix}:{p.key}" if p.key else prefix, p) for p in problems]


def plan_problems(plan: CallPlan, *, known_country: Callable[[str], bool],
                  is_zone: Callable[[str], bool], languages: Sequence[str]) -> list[Placed]:
    """Everything wrong with what the author wrote, whether draft or published."""
    found: list[Placed] = []

    def add(where: str, message: str, **values: Any) -> None:
        found.append(Placed(where, Problem(where, message, values)))

    if plan.kind not in CALL_KINDS:
        add("kind", N_("Choose who the call is for."))
    if plan.kind == "centre" and plan.intake_id is not None:
        add("intake_id", N_("A call for centres fills no intake."))
    if not plan.code.strip():
        add("code", N_("Give the call a short code."))
    elif len(plan.code) > 40:
        add("code", N_("A code has at most %(limit)s characters."), limit=40)
    if not plan.title.strip():
        add("title", N_("Give the call a title."))
    elif len(plan.title) > 300:
        add("title", N_("A title has at most %(limit)s characters."), limit=300)
    if len(plan.description) > MAX_DESCRIPTION:
        add("description", N_("The description has at most %(limit)s characters."),
            limit=MAX_DESCRIPTION)
    if not is_zone(plan.timezone):
        add("timezone", N_("Choose a time zone from the list."))
    if plan.opens_at is None:
        add("opens_at", N_("Give the day and time the call opens."))
    if plan.closes_at is None:
        add("closes_at", N_("Give the day and time the call closes."))
    elif plan.opens_at is not None and plan.closes_at <= plan.opens_at:
        add("closes_at", N_("The call must close after it opens."))
    if plan.places is None or not 0 <= plan.places <= MAX_PLACES:
        add("places", N_("Give the number of places, from 0 to %(limit)s."), limit=MAX_PLACES)
    if not plan.languages:
        add("languages", N_("Choose at least one language."))
    elif not set(plan.languages) <= set(languages):
        add("languages", N_("Choose the languages from the list."))
    found += _placed("eligibility", rule_problems(dict(plan.eligibility), known_country,
                                                  ORGANISATION_TYPES))
    found += _placed("form", field_kinds(known_country).form_problems(list(plan.form)))
    if plan.rubric:
        found += _placed("rubric", rubric_problems(list(plan.rubric)))
    found += _placed("quotas", quota_problems(dict(plan.quotas), known_country))
    for name, (low, high) in OPTION_BOUNDS.items():
        if not low <= getattr(plan, name) <= high:
            add(name, N_("Give a whole number from %(low)s to %(high)s."), low=low, high=high)
    if not 0 < plan.disagreement_share <= 1:
        add("disagreement_share", N_("Give a percentage from 1 to 100."))
    return found


def publish_problems(call: Any) -> list[Placed]:
    """What an applicant would miss in a call: a question to answer, a rubric to be scored
    against, places, and dates in order. Dates in the past are allowed (a call may be
    published after it opened)."""
    found: list[Placed] = []

    def add(where: str, message: str) -> None:
        found.append(Placed(where, Problem(where, message)))

    if not call.form:
        add("form", N_("Add at least one question to the application form."))
    if not call.rubric:
        add("rubric", N_("Add at least one criterion to the rubric."))
    if not call.places or call.places <= 0:
        add("places", N_("Give the number of places (1 or more)."))
    if call.closes_at <= call.opens_at:
        add("closes_at", N_("The call must close after it opens."))
    return found
