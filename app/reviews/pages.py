"""What the reviewing pages show, put together from the queries for their templates: the
officers' page of a call and the page of one application under review (blind or not, with
or without the other reviewers' scores)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.calls.models import Application, Call
from app.calls.problems import Problem
from app.calls.rules import rubric_max
from app.core.countries import country_name
from app.reports.labels import ORGANISATION_TYPES
from app.reviews.forms import AssignForm, ReviewerForm, ScoreForm
from app.reviews.queries import Document, ReviewFacts, call_progress, review_facts

PER_PAGE = 50

# Why an application does not meet the call's rules, as a reviewer reads it.
INELIGIBLE = {
    "nationality_not_lmic": _l("Nationality: not a low- or middle-income country"),
    "nationality_not_listed": _l("Nationality: not among the call's countries"),
    "residence_not_lmic": _l("Residence: not a low- or middle-income country"),
    "residence_not_listed": _l("Residence: not among the call's countries"),
    "organisation_type": _l("Organisation type: not one the call takes"),
    "experience": _l("Experience: fewer years than the call asks"),
}


def call_page_context(call: Call, page: int, only_short: bool, *,
                      reviewer_form: ReviewerForm | None = None,
                      assign_form: AssignForm | None = None) -> dict[str, Any]:
    progress = call_progress(call, page, PER_PAGE, only_short=only_short)
    return {"call": call, "progress": progress, "only_short": only_short,
            "reviewer_form": reviewer_form or ReviewerForm(),
            "assign_form": assign_form, "decided": call.status == "decided",
            "country_name": country_name, "page": progress.applications.page}


@dataclass(frozen=True)
class Answer:
    label: str
    text: str


@dataclass(frozen=True)
class FileEntry:
    key: str
    label: str
    document: Document | None


def answer_text(definition: Mapping[str, Any], value: Any) -> str:
    """An answer as a reviewer reads it; "" for none."""
    if value in (None, "", []):
        return ""
    if definition.get("kind") == "country":
        return country_name(str(value))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def form_answers(form: Sequence[Mapping[str, Any]], answers: Mapping[str, Any],
                 documents: Mapping[str, Document]) -> tuple[list[Answer], list[FileEntry]]:
    shown, files = [], []
    for definition in form:
        if definition.get("kind") == "file":
            files.append(FileEntry(definition["key"], definition["label"],
                                   documents.get(definition["key"])))
        else:
            shown.append(Answer(definition["label"],
                                answer_text(definition, answers.get(definition["key"]))))
    return shown, files


def reasons_text(reasons: Sequence[Mapping[str, Any]]) -> list[str]:
    return [str(INELIGIBLE.get(str(reason.get("code")), reason.get("code")))
            for reason in reasons]


def problems_by_criterion(problems: Sequence[Problem]) -> dict[str, str]:
    return {problem.key: gettext(problem.message, **problem.values) for problem in problems}


def _prefill(form: ScoreForm, facts: ReviewFacts, viewer: User,
             posted: Mapping[str, str] | None) -> Mapping[str, str]:
    """The points the form shows: as posted, else the reviewer's own latest score."""
    if posted is not None:
        return posted
    own = facts.latest_of(viewer.id)
    if own is None:
        return {}
    if not form.comment.data:
        form.comment.data = own.comment
    return {key: str(points) for key, points in own.points.items()}


def review_context(application: Application, call: Call, viewer: User, officer: bool,
                   form: ScoreForm, problems: Sequence[Problem],
                   posted: Mapping[str, str] | None) -> dict[str, Any]:
    facts = review_facts(application, viewer.id)
    own = facts.own if facts.own is not None and facts.own.conflict_at is None else None
    own_score = facts.latest_of(viewer.id)
    answers, files = form_answers(call.form, application.answers or {}, facts.documents)
    return {
        "application": application, "call": call, "facts": facts, "officer": officer,
        "blind": call.blind_review and not officer, "form": form,
        "may_score": own is not None and call.status != "decided"
        and application.state == "submitted",
        "own_score": own_score,
        # Never before the viewer has scored: an officer who is no reviewer sees them all.
        "others": [score for score in facts.scores if score.reviewer_id != viewer.id]
        if (officer and own is None) or own_score is not None else [],
        "others_hidden": own is not None and own_score is None,
        "points": _prefill(form, facts, viewer, posted),
        "criterion_errors": problems_by_criterion(problems),
        "answers": answers, "files": files, "rubric_max": rubric_max(call.rubric),
        "country_name": country_name, "organisation_types": ORGANISATION_TYPES,
        "reasons": reasons_text(application.ineligible_reasons or []),
    }
