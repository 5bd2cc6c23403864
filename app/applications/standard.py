"""The questions every call asks before its own: who the applicant is (a trainee call) or
which institution applies (a centre call), and the travel details of a call that needs a
visa letter. Pure: neither Flask nor the database.

Each reads only the keys the page sent, like `fields.clean_answers`, so that an autosave of
one field keeps the others; a problem is keyed by the input's name on the page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.calls.problems import N_, Problem

ORGANISATION_TYPES = ("manufacturer", "regulator", "academia", "government", "other")
GENDERS = ("female", "male", "other")
NOT_SAID = "prefer_not_to_say"  # stored as no gender
MAX_YEARS = 60

# The columns of Application each call kind asks, in the page's order.
TRAINEE_KEYS = ("nationality", "residence", "organisation", "organisation_type", "gender",
                "experience_years")
CENTRE_KEYS = ("nationality", "organisation")
OPTIONAL = frozenset({"gender"})
PERSONAL_KEYS = ("name_in_passport", "passport_number", "passport_expires_on",
                 "date_of_birth", "passport_nationality")


def standard_keys(call_kind: str) -> tuple[str, ...]:
    return CENTRE_KEYS if call_kind == "centre" else TRAINEE_KEYS


def _one(raw: Any) -> str:
    if isinstance(raw, list):
        raw = raw[0] if raw else ""
    return " ".join(str(raw or "").split())


def _country(key: str, text: str, known: Callable[[str], bool]) -> tuple[Any, Problem | None]:
    code = text.upper()
    if code and not known(code):
        return None, Problem(key, N_("Pick a country from the list."))
    return code or None, None


def _clean_one(key: str, text: str, known: Callable[[str], bool]
               ) -> tuple[Any, Problem | None]:
    if key in ("nationality", "residence", "passport_nationality"):
        return _country(key, text, known)
    if key == "organisation":
        if len(text) > 200:
            return None, Problem(key, N_("At most %(limit)s characters, please (this has "
                                         "%(count)s)."), {"limit": 200, "count": len(text)})
        return text, None
    if key == "organisation_type":
        if text and text not in ORGANISATION_TYPES:
            return None, Problem(key, N_("Pick one of the options listed."))
        return text or None, None
    if key == "gender":
        if text and text not in (*GENDERS, NOT_SAID):
            return None, Problem(key, N_("Pick one of the options listed."))
        return (text if text in GENDERS else None), None
    if key == "experience_years":
        if not text:
            return None, None
        if not text.isdigit() or int(text) > MAX_YEARS:
            return None, Problem(key, N_("Give a whole number of years from 0 to %(limit)s."),
                                 {"limit": MAX_YEARS})
        return int(text), None
    raise KeyError(key)


def clean_standard(call_kind: str, raw: Mapping[str, Any], known: Callable[[str], bool]
                   ) -> tuple[dict[str, Any], list[Problem]]:
    """The Application columns to store from the keys sent, and every problem."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for key in standard_keys(call_kind):
        if key not in raw:
            continue
        value, problem = _clean_one(key, _one(raw[key]), known)
        if problem is None:
            values[key] = value
        else:
            problems.append(problem)
    return values, problems


def missing_standard(call_kind: str, values: Mapping[str, Any]) -> list[str]:
    """The standard questions still unanswered, in the page's order."""
    return [key for key in standard_keys(call_kind)
            if key not in OPTIONAL and values.get(key) in (None, "")]


@dataclass(frozen=True)
class Personal:
    """The travel details as typed (dates as dates)."""

    name_in_passport: str = ""
    passport_number: str = ""
    passport_expires_on: date | None = None
    date_of_birth: date | None = None
    nationality: str | None = None


def _date(key: str, text: str) -> tuple[date | None, Problem | None]:
    if not text:
        return None, None
    try:
        return date.fromisoformat(text), None
    except ValueError:
        return None, Problem(key, N_("Give the date as year-month-day, for example "
                                     "2027-03-15."))


def clean_personal(raw: Mapping[str, Any], known: Callable[[str], bool]
                   ) -> tuple[dict[str, Any], list[Problem]]:
    """The ApplicationPersonal columns to store from the keys sent, and every problem."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for key in PERSONAL_KEYS:
        if key not in raw:
            continue
        text = _one(raw[key])
        value: Any
        problem: Problem | None = None
        if key in ("passport_expires_on", "date_of_birth"):
            value, problem = _date(key, text)
        elif key == "passport_nationality":
            value, problem = _country(key, text, known)
        elif key == "passport_number":
            value = text.replace(" ", "").upper()
            if len(value) > 40:
                value, problem = None, Problem(key, N_("At most %(limit)s characters, please "
                                                       "(this has %(count)s)."),
                                               {"limit": 40, "count": len(value)})
        else:
            value = text
            if len(value) > 200:
                value, problem = None, Problem(key, N_("At most %(limit)s characters, please "
                                                       "(this has %(count)s)."),
                                               {"limit": 200, "count": len(value)})
        if problem is None:
            values["nationality" if key == "passport_nationality" else key] = value
        else:
            problems.append(problem)
    return values, problems


def missing_personal(values: Mapping[str, Any] | None) -> list[str]:
    """The travel details still missing (by input name), in the page's order."""
    values = values or {}
    names = {"passport_nationality": "nationality"}
    return [key for key in PERSONAL_KEYS if values.get(names.get(key, key)) in (None, "")]

