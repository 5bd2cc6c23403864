"""Reading the call form: its settings (`forms.CallForm`), the rows of the form builder and
of the rubric, and the quotas' country lines, into a `CallPlan`; and a call back into the
form. What was sent is kept as sent (`Row.raw`), so that a refused form shows every value
the author typed, with each problem next to its row."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from app.calls.checking import CallPlan, Placed
from app.calls.fields import field_kinds
from app.calls.forms import CallForm
from app.calls.labels import problem_text
from app.calls.models import Call
from app.calls.problems import N_, Problem
from app.core.zones import local_time, to_utc

QUESTION = "question"
CRITERION = "criterion"
QUESTION_OPTIONS = ("max_length", "min_words", "max_words", "choices", "multiple", "min",
                    "max", "whole", "max_mb")
CRITERION_INPUTS = ("key", "label", "max", "description")
FLAGS = ("required", "multiple", "whole")
MAX_ROWS = 60
EMPTY_ROWS = 2  # blank rows under the written ones, to add a question without JavaScript
# Where a problem of the pure rules shows, when it is one of the form's own settings.
FIELD_OF = {
    "eligibility:countries": "country_rule",
    "eligibility:country_list": "country_list",
    "eligibility:residence_too": "residence_too",
    "eligibility:organisation_types": "organisation_types",
    "eligibility:min_experience_years": "min_experience_years",
    "quotas:country_max": "country_max",
    "quotas:country_max_by": "country_max_by",
    "quotas:country_min": "country_min",
    "quotas:organisation_max": "organisation_max",
    "quotas:gender_target": "gender_target",
    "disagreement_share": "disagreement_percent",
}
_KEY_CHARS = re.compile(r"[^a-z0-9]+")


@dataclass
class Reading:
    """What the form sent: the plan, the builder's rows as typed, and the problems of the
    country lines (before any rule is checked)."""

    plan: CallPlan
    questions: list[dict[str, Any]]
    criteria: list[dict[str, Any]]
    problems: list[Placed] = field(default_factory=list)


def key_from(label: str, fallback: str) -> str:
    """A field's key made from its label: 'Current job title' -> 'current_job_title'."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    key = _KEY_CHARS.sub("_", ascii_text.lower()).strip("_")[:40].rstrip("_")
    return key if key[:1].isalpha() else fallback


def _indices(data: MultiDict[str, str], prefix: str) -> list[int]:
    found = {int(match.group(1)) for name in data
             if (match := re.fullmatch(rf"{prefix}-(\d{{1,3}})-\w+", name))}
    return sorted(found)[:MAX_ROWS]


def _number(text: str) -> Any:
    """A number as typed: int or float, or the text itself so that the rule names it."""
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return text
    return int(value) if value.is_integer() else value


def _whole(text: str) -> Any:
    return int(text) if re.fullmatch(r"-?\d{1,9}", text) else text


def read_questions(data: MultiDict[str, str]) -> list[dict[str, Any]]:
    """The builder's rows as typed (blank rows left out); each row's `key` is made from its
    label when left empty."""
    rows: list[dict[str, Any]] = []
    for n in _indices(data, QUESTION):
        raw = {name: data.get(f"{QUESTION}-{n}-{name}", "").strip()
               for name in ("key", "kind", "label", "help", *QUESTION_OPTIONS)}
        flags = {name: bool(data.get(f"{QUESTION}-{n}-{name}")) for name in FLAGS}
        if not (raw["key"] or raw["label"] or raw["help"] or raw["choices"]):
            continue
        raw["key"] = raw["key"] or key_from(raw["label"], f"question_{len(rows) + 1}")
        rows.append({**raw, **flags})
    return rows


def definition_of(row: Mapping[str, Any]) -> dict[str, Any]:
    """A builder row as the form's field definition: the options of its kind only."""
    definition: dict[str, Any] = {"key": row["key"], "kind": row["kind"],
                                  "label": row["label"], "required": row["required"]}
    if row["help"]:
        definition["help"] = row["help"]
    kind = field_kinds().get(row["kind"])
    for option in kind.options if kind else ():
        if option in ("multiple", "whole"):
            if row[option]:
                definition[option] = True
        elif option == "choices":
            definition["choices"] = [line.strip() for line in row["choices"].splitlines()
                                     if line.strip()]
        elif row[option]:
            definition[option] = (_number(row[option]) if option in ("min", "max")
                                  else _whole(row[option]))
    return definition


def read_criteria(data: MultiDict[str, str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for n in _indices(data, CRITERION):
        raw = {name: data.get(f"{CRITERION}-{n}-{name}", "").strip()
               for name in CRITERION_INPUTS}
        if not (raw["key"] or raw["label"] or raw["description"]):
            continue
        raw["key"] = raw["key"] or key_from(raw["label"], f"criterion_{len(rows) + 1}")
        rows.append(raw)
    return rows


def criterion_of(row: Mapping[str, Any]) -> dict[str, Any]:
    criterion: dict[str, Any] = {"key": row["key"], "label": row["label"],
                                 "max": _whole(row["max"]) if row["max"] else None}
    if row["description"]:
        criterion["description"] = row["description"]
    return criterion


def read_lines(text: str, where: str, problems: list[Placed], *, upper: bool
               ) -> dict[str, Any]:
    """'NG 8' lines into {"NG": 8}; a wrong line is a problem of its own, by its number."""
    found: dict[str, Any] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.replace(":", " ").replace(",", " ").split()
        if not parts:
            continue
        value = _number(parts[-1]) if len(parts) == 2 else None
        if value is None or isinstance(value, str):
            problems.append(Placed(where, Problem(where, N_(
                "Line %(line)s: write a code and a number, like %(example)s."),
                {"line": number, "example": "NG 8" if upper else "female 50"})))
            continue
        found[parts[0].upper() if upper else parts[0].lower()] = value
    return found


def _eligibility(form: CallForm) -> dict[str, Any]:
    rules: dict[str, Any] = {"countries": form.country_rule.data or "any"}
    codes = [code.upper() for code in re.split(r"[\s,;]+", form.country_list.data or "")
             if code]
    if codes:
        rules["country_list"] = codes
    if form.residence_too.data:
        rules["residence_too"] = True
    if form.organisation_types.data:
        rules["organisation_types"] = list(form.organisation_types.data)
    if form.min_experience_years.data:
        rules["min_experience_years"] = form.min_experience_years.data
    return rules


def _quotas(form: CallForm, problems: list[Placed]) -> dict[str, Any]:
    quotas: dict[str, Any] = {}
    for name in ("country_max", "organisation_max"):
        if getattr(form, name).data is not None:
            quotas[name] = getattr(form, name).data
    for name, upper in (("country_max_by", True), ("country_min", True),
                        ("gender_target", False)):
        lines = read_lines(getattr(form, name).data or "", f"quotas:{name}", problems,
                           upper=upper)
        if lines:
            quotas[name] = lines
    return quotas


def _moment(form: CallForm, name: str) -> Any:
    wall_clock, zone = getattr(form, name).data, form.timezone.data or "UTC"
    try:
        return to_utc(wall_clock, zone) if wall_clock is not None else None
    except (KeyError, ValueError):
        return None  # an unknown zone: the plan's check names it


def read_call(form: CallForm, data: MultiDict[str, str]) -> Reading:
    problems: list[Placed] = []
    questions, criteria = read_questions(data), read_criteria(data)
    percent = form.disagreement_percent.data
    plan = CallPlan(
        centre_id=form.centre_id.data, intake_id=form.intake_id.data,
        kind=form.kind.data or "", code=form.code.data or "", title=form.title.data or "",
        description=form.description.data or "", opens_at=_moment(form, "opens_at"),
        closes_at=_moment(form, "closes_at"), timezone=form.timezone.data or "",
        places=form.places.data, languages=tuple(form.languages.data or ()),
        eligibility=_eligibility(form), form=[definition_of(row) for row in questions],
        rubric=[criterion_of(row) for row in criteria], quotas=_quotas(form, problems),
        blind_review=form.blind_review.data,
        reviews_per_application=form.reviews_per_application.data or 0,
        disagreement_share=(percent or 0) / 100, confirm_days=form.confirm_days.data or 0,
        retention_months=form.retention_months.data or 0,
        asks_travel_details=form.asks_travel_details.data)
    return Reading(plan, questions, criteria, problems)


def place_problems(form: CallForm, placed: Sequence[Placed]) -> dict[str, list[str]]:
    """Put each problem next to its setting (unless that setting has its own error from the
    form already); return the rest by place, for the builder's rows and sections."""
    rest: dict[str, list[str]] = {}
    for each in placed:
        setting = form._fields.get(FIELD_OF.get(each.where, each.where))
        text = problem_text(each.problem)
        if setting is None or setting.name in ("version", "csrf_token"):
            rest.setdefault(each.where, []).append(text)
        elif text not in setting.errors and (not setting.errors or each.where in FIELD_OF):
            # A setting the form refused already ("abc" places) is not told twice.
            setting.errors = [*setting.errors, text]
    return rest


def form_has_errors(form: CallForm) -> bool:
    return bool(form.form_errors) or any(f.errors for f in form)


# --- a call back into the form -------------------------------------------------------------


def question_rows(definitions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for definition in definitions:
        row: dict[str, Any] = {name: "" for name in ("key", "kind", "label", "help",
                                                    *QUESTION_OPTIONS)}
        row.update({name: False for name in FLAGS})
        for name, value in definition.items():
            if name == "choices":
                row[name] = "\n".join(value)
            elif name in FLAGS:
                row[name] = bool(value)
            else:
                row[name] = "" if value is None else str(value)
        rows.append(row)
    return rows


def criterion_rows(rubric: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{name: "" if criterion.get(name) is None else str(criterion.get(name))
             for name in CRITERION_INPUTS} for criterion in rubric]


def _lines(values: Mapping[str, Any]) -> str:
    return "\n".join(f"{code} {number}" for code, number in values.items())


def fill_form(form: CallForm, call: Call) -> None:
    form.version.data = str(call.version)
    form.kind.data, form.centre_id.data, form.intake_id.data = \
        call.kind, call.centre_id, call.intake_id
    form.code.data, form.title.data, form.description.data = \
        call.code, call.title, call.description
    form.timezone.data, form.places.data, form.languages.data = \
        call.timezone, call.places, list(call.languages)
    form.opens_at.data = local_time(call.opens_at, call.timezone).replace(tzinfo=None)
    form.closes_at.data = local_time(call.closes_at, call.timezone).replace(tzinfo=None)
    rules = call.eligibility
    form.country_rule.data = rules.get("countries", "any")
    form.country_list.data = " ".join(rules.get("country_list") or ())
    form.residence_too.data = bool(rules.get("residence_too"))
    form.organisation_types.data = list(rules.get("organisation_types") or ())
    form.min_experience_years.data = rules.get("min_experience_years")
    quotas = call.quotas
    form.country_max.data = quotas.get("country_max")
    form.organisation_max.data = quotas.get("organisation_max")
    for name in ("country_max_by", "country_min", "gender_target"):
        getattr(form, name).data = _lines(quotas.get(name) or {})
    form.blind_review.data, form.asks_travel_details.data = \
        call.blind_review, call.asks_travel_details
    form.reviews_per_application.data = call.reviews_per_application
    form.disagreement_percent.data = round(call.disagreement_share * 100)
    form.confirm_days.data, form.retention_months.data = \
        call.confirm_days, call.retention_months
