"""What an application still lacks before it can be handed in, in the order of the page:
the standard questions, the call's own questions, the documents and the travel details.
Pure: neither Flask nor the database (the page names each item in the reader's language)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.applications.standard import missing_personal, missing_standard
from app.calls.eligibility import Facts, Verdict, check
from app.calls.fields import FieldKinds


@dataclass(frozen=True)
class Missing:
    section: str  # standard, form, documents or travel
    key: str  # the input's name on the page
    label: str = ""  # the call author's label, for the call's own questions


def missing_items(kinds: FieldKinds, call_kind: str, form: Sequence[Mapping[str, Any]],
                  columns: Mapping[str, Any], answers: Mapping[str, Any], files: set[str],
                  personal: Mapping[str, Any] | None, asks_travel: bool) -> list[Missing]:
    items = [Missing("standard", key) for key in missing_standard(call_kind, columns)]
    for definition in kinds.missing(form, answers, files):
        kind = kinds.get(definition["kind"])
        section = "documents" if kind is not None and kind.is_file else "form"
        items.append(Missing(section, definition["key"], definition["label"]))
    if asks_travel:
        items.extend(Missing("travel", key) for key in missing_personal(personal))
    return items


def verdict_of(rules: Mapping[str, Any], columns: Mapping[str, Any],
               is_lmic: Callable[[str], bool]) -> Verdict:
    return check(rules, Facts(nationality=columns.get("nationality"),
                              residence=columns.get("residence"),
                              organisation_type=columns.get("organisation_type"),
                              experience_years=columns.get("experience_years")), is_lmic)
