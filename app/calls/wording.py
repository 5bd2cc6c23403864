"""A call's rules in plain words, for its public page: who may apply, the documents to
send, the questions asked, the deadline in the call's zone and the reader's, in the page's
language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel.lists import format_list
from flask_babel import gettext as _
from flask_babel import ngettext

from app.calls.fields import FileField, field_kinds
from app.calls.labels import FIELD_KIND_LABELS, ORGANISATION_TYPE_LABELS, label
from app.core.countries import country_name
from app.core.i18n import current_language
from app.core.languages import language_name
from app.core.zones import format_local


def _listed(items: Sequence[str]) -> str:
    return format_list(list(items), locale=current_language()) if items else ""


def who_may_apply(rules: Mapping[str, Any], kind: str) -> list[str]:
    """One sentence a rule: countries, residence, organisation types, years."""
    sentences: list[str] = []
    countries = rules.get("countries", "any")
    residence = bool(rules.get("residence_too"))
    if countries == "lmic":
        sentences.append(
            _("Citizens of a low- or middle-income country (World Bank income groups) who "
              "also live in one.") if residence else
            _("Citizens of a low- or middle-income country (World Bank income groups)."))
    elif countries == "list":
        names = _listed([country_name(code) or code for code in rules.get("country_list", [])])
        sentences.append(_("Citizens of %(countries)s who also live there.", countries=names)
                         if residence else _("Citizens of %(countries)s.", countries=names))
    elif kind == "centre":
        sentences.append(_("Training institutions of any country."))
    else:
        sentences.append(_("Citizens of any country."))
    kinds = rules.get("organisation_types") or []
    if kinds:
        sentences.append(_("Working at: %(types)s.", types=_listed(
            [label(ORGANISATION_TYPE_LABELS, code) for code in kinds])))
    years = rules.get("min_experience_years")
    if years:
        sentences.append(ngettext("At least %(num)s year of relevant experience.",
                                  "At least %(num)s years of relevant experience.", years))
    return sentences


@dataclass(frozen=True)
class Asked:
    label: str
    help: str
    required: bool
    what: str  # "Long text, 50 to 300 words"


def _limits(definition: Mapping[str, Any]) -> str:
    kind = definition["kind"]
    if kind == "long_text" and definition.get("max_words"):
        if definition.get("min_words"):
            return _("%(low)s to %(high)s words", low=definition["min_words"],
                     high=definition["max_words"])
        return _("up to %(high)s words", high=definition["max_words"])
    if kind == "long_text" and definition.get("min_words"):
        return _("at least %(low)s words", low=definition["min_words"])
    if kind == "text" and definition.get("max_length"):
        return _("up to %(high)s characters", high=definition["max_length"])
    if kind == "choice":
        return _listed(definition.get("choices") or [])
    if kind == "file":
        return _("PDF, up to %(mb)s MB", mb=FileField.max_bytes(definition) // (1024 * 1024))
    return ""


def _asked(definition: Mapping[str, Any]) -> Asked:
    what = label(FIELD_KIND_LABELS, definition["kind"])
    limits = _limits(definition)
    if definition["kind"] == "file":  # a document says what it is by its limits
        what, limits = limits, ""
    return Asked(str(definition.get("label", "")), str(definition.get("help", "")),
                 bool(definition.get("required")),
                 _("%(kind)s: %(limits)s", kind=what, limits=limits) if limits else what)


def documents(form: Sequence[Mapping[str, Any]]) -> list[Asked]:
    """The file fields: the documents to upload."""
    kinds = field_kinds()
    return [_asked(d) for d in form if (kind := kinds.get(d["kind"])) and kind.is_file]


def questions(form: Sequence[Mapping[str, Any]]) -> list[Asked]:
    kinds = field_kinds()
    return [_asked(d) for d in form if (kind := kinds.get(d["kind"])) and not kind.is_file]


def languages(tags: Sequence[str]) -> str:
    return _listed([language_name(tag) for tag in tags])


@dataclass(frozen=True)
class Moment:
    """A time in the call's zone, and in the reader's when theirs differs."""

    in_call: str
    in_yours: str | None


def moment(at: datetime, call_zone: str, viewer_zone: str | None) -> Moment:
    locale = current_language()
    yours = (format_local(at, viewer_zone, locale=locale)
             if viewer_zone and viewer_zone != call_zone else None)
    return Moment(format_local(at, call_zone, locale=locale), yours)
