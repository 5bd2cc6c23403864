"""Who may apply to a call: its eligibility rules checked against what an applicant said.
Pure: neither Flask nor the database.

A call's rules are a dict (every key optional):

    {"countries": "lmic",            # "any" (the default), "lmic" or "list"
     "country_list": ["NG", "KE"],   # with "list": the countries that may apply
     "residence_too": true,          # the country of residence must qualify as well
     "organisation_types": ["manufacturer", "regulator"],  # empty: any
     "min_experience_years": 2}

"LMIC" is the World Bank's low- and middle-income groups, read from the network's data file
(app/reports/income.py) by the caller, which passes `is_lmic`. A reason is a stable code
with its values, so that the applicant reads it in their language: "Applicants must be
citizens of a low- or middle-income country; Korea (the Republic of) is high-income."
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.calls.problems import N_, Problem

COUNTRY_RULES = ("any", "lmic", "list")
RULE_KEYS = ("countries", "country_list", "residence_too", "organisation_types",
             "min_experience_years")


@dataclass(frozen=True)
class Reason:
    """Why an applicant is not eligible. code is one of: nationality_not_lmic,
    nationality_not_listed, residence_not_lmic, residence_not_listed, organisation_type,
    experience."""

    code: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, **self.values}


@dataclass(frozen=True)
class Facts:
    """What eligibility reads of an application."""

    nationality: str | None = None
    residence: str | None = None
    organisation_type: str | None = None
    experience_years: int | None = None


@dataclass(frozen=True)
class Verdict:
    reasons: tuple[Reason, ...] = ()
    # What the applicant has not said yet that a rule needs ("nationality", ...).
    unknown: tuple[str, ...] = ()

    @property
    def eligible(self) -> bool:
        return not self.reasons and not self.unknown


def rule_problems(rules: Any, known_country: Callable[[str], bool],
                  organisation_types: Sequence[str]) -> list[Problem]:
    """Everything wrong with a call's rules, all at once, keyed by rule."""
    if not isinstance(rules, dict):
        return [Problem("", N_("The eligibility rules must be a mapping."))]
    problems = [Problem(key, N_("Unknown eligibility rule %(rule)s."), {"rule": key})
                for key in sorted(set(rules) - set(RULE_KEYS))]
    countries = rules.get("countries", "any")
    if countries not in COUNTRY_RULES:
        problems.append(Problem("countries", N_("Countries must be one of %(known)s."),
                                {"known": ", ".join(COUNTRY_RULES)}))
    listed = rules.get("country_list", [])
    if not isinstance(listed, list) or not all(isinstance(c, str) and known_country(c)
                                               for c in listed):
        problems.append(Problem("country_list", N_("List countries by their ISO 3166-1 "
                                                   "alpha-2 codes.")))
    elif countries == "list" and not listed:
        problems.append(Problem("country_list", N_("List at least one country, or let any "
                                                   "country apply.")))
    kinds = rules.get("organisation_types", [])
    if not isinstance(kinds, list) or not set(kinds) <= set(organisation_types):
        problems.append(Problem("organisation_types", N_("Organisation types must be among "
                                                         "%(known)s."),
                                {"known": ", ".join(organisation_types)}))
    years = rules.get("min_experience_years")
    if years is not None and (isinstance(years, bool) or not isinstance(years, int)
                              or not 0 <= years <= 50):
        problems.append(Problem("min_experience_years", N_("Years of experience must be a "
                                                           "whole number from 0 to 50.")))
    return problems


def check(rules: Mapping[str, Any], facts: Facts, is_lmic: Callable[[str], bool]) -> Verdict:
    """Every reason the applicant is not eligible, and what is still unknown."""
    reasons: list[Reason] = []
    unknown: list[str] = []
    countries = rules.get("countries", "any")
    listed = set(rules.get("country_list") or ())
    places = [("nationality", facts.nationality)]
    if rules.get("residence_too"):
        places.append(("residence", facts.residence))
    if countries != "any":
        for which, country in places:
            if not country:
                unknown.append(which)
            elif countries == "lmic" and not is_lmic(country):
                reasons.append(Reason(f"{which}_not_lmic", {"country": country}))
            elif countries == "list" and country not in listed:
                reasons.append(Reason(f"{which}_not_listed", {"country": country}))
    kinds = rules.get("organisation_types") or []
    if kinds:
        if not facts.organisation_type:
            unknown.append("organisation_type")
        elif facts.organisation_type not in kinds:
            reasons.append(Reason("organisation_type", {"organisation_type":
                                                        facts.organisation_type,
                                                        "allowed": list(kinds)}))
    years = rules.get("min_experience_years")
    if years:
        if facts.experience_years is None:
            unknown.append("experience_years")
        elif facts.experience_years < years:
            reasons.append(Reason("experience", {"years": facts.experience_years,
                                                 "required": years}))
    return Verdict(tuple(reasons), tuple(unknown))
