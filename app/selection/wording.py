"""The words the committee reads for the board's stored codes: why the proposal passed an
application over, what a final list breaks, why an applicant is not eligible, in the
page's language. Country names come from CLDR (app/core/countries.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from app.calls.quotas import Skip
from app.core.countries import country_name
from app.selection.final import Placement, Warning

OUTCOMES = {
    "accepted": _l("Accepted"),
    "waitlisted": _l("Waitlist"),
    "regretted": _l("Regretted"),
    "proposal": _l("Back to the proposal"),
}
# The override form's choices: what the committee puts an application on.
OVERRIDE_CHOICES = {
    "accepted": _l("Accept"),
    "waitlisted": _l("Put on the waitlist"),
    "regretted": _l("Regret"),
}
STATES = {
    "accepted": _l("Accepted"),
    "waitlisted": _l("Waitlisted"),
    "regretted": _l("Regretted"),
    "confirmed": _l("Confirmed"),
    "declined": _l("Declined"),
    "lapsed": _l("Lapsed"),
}
GENDERS = {
    "female": _l("Female"),
    "male": _l("Male"),
    "other": lazy_pgettext("gender", "Other"),
    "unknown": _l("Not recorded"),
}


def country(code: str | None) -> str:
    return (country_name(code) or code) if code else str(_l("Not recorded"))


def countries(codes: list[str]) -> str:
    return ", ".join(country(code) for code in codes)


def skip_text(skip: Skip, held_for: list[str]) -> str:
    """Why the proposal did not select an application; `held_for`, the countries whose
    minimums hold the places left (for a "reserved" skip)."""
    if skip.kind == "country_cap":
        return _("country cap reached: %(country)s %(count)s/%(cap)s",
                 country=country(skip.country), count=skip.count, cap=skip.cap)
    if skip.kind == "organisation_cap":
        return _("organisation cap reached: %(organisation)s %(count)s/%(cap)s",
                 organisation=skip.organisation, count=skip.count, cap=skip.cap)
    if skip.kind == "reserved":
        return _("places held for the minimum of %(countries)s",
                 countries=countries(held_for))
    if skip.kind == "not_eligible":
        return _("not eligible")
    if skip.kind == "not_scored":
        return _("not scored yet")
    return _("places filled")


def placement_text(placement: Placement) -> str:
    if placement.outcome == "waitlisted":
        return _("Waitlist #%(rank)s", rank=placement.waitlist_rank)
    return str(OUTCOMES[placement.outcome])


def warning_text(warning: Warning, names: Mapping[int, str]) -> str:
    """A departure of the final list from the call's places and quotas, in words."""
    kind = warning.kind
    if kind == "over_places":
        return _("%(count)s accepted for %(places)s places.", count=warning.count,
                 places=warning.limit)
    if kind == "country_cap":
        return _("%(country)s: %(count)s accepted, above its cap of %(cap)s.",
                 country=country(warning.country), count=warning.count, cap=warning.limit)
    if kind == "organisation_cap":
        return _("%(organisation)s: %(count)s accepted, above the cap of %(cap)s.",
                 organisation=warning.organisation, count=warning.count, cap=warning.limit)
    if kind == "country_min":
        return _("%(country)s: %(count)s accepted, below its minimum of %(minimum)s.",
                 country=country(warning.country), count=warning.count,
                 minimum=warning.limit)
    name = names.get(warning.application_id or 0, "")
    if kind == "accepted_not_eligible":
        return _("%(name)s is accepted but not eligible.", name=name)
    if kind == "accepted_not_scored":
        return _("%(name)s is accepted but nobody has scored the application.", name=name)
    return _("%(count)s eligible applications have no score yet: they would be regretted "
             "unread.", count=warning.count)


def reason_text(reason: Mapping[str, Any]) -> str:
    """Why an applicant is not eligible (eligibility.Reason.as_json, as the board keeps it)."""
    code = reason.get("code")
    if code == "nationality_not_lmic":
        return _("nationality: %(country)s is not a low- or middle-income country",
                 country=country(reason.get("country")))
    if code == "residence_not_lmic":
        return _("residence: %(country)s is not a low- or middle-income country",
                 country=country(reason.get("country")))
    if code == "nationality_not_listed":
        return _("nationality: %(country)s is not among the call's countries",
                 country=country(reason.get("country")))
    if code == "residence_not_listed":
        return _("residence: %(country)s is not among the call's countries",
                 country=country(reason.get("country")))
    if code == "organisation_type":
        return _("organisation type not among those the call takes")
    if code == "experience":
        return _("%(years)s years of experience, %(required)s required",
                 years=reason.get("years"), required=reason.get("required"))
    return _("not eligible")


def reasons_text(eligible: bool, reasons: tuple[Mapping[str, Any], ...]) -> str:
    if eligible:
        return _("Eligible")
    if not reasons:
        return _("Not eligible: details missing")
    return "; ".join(reason_text(reason) for reason in reasons)
