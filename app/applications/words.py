"""What the applying pages call things, in the reader's language: the standard questions,
their options, the states, and each reason an applicant is not eligible in plain words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.applications.checklist import Missing
from app.core.countries import country_name
from app.reports.income import classification

TRAINEE_LABELS = {
    "nationality": _l("Nationality (country of citizenship)"),
    "residence": _l("Country of residence"),
    "organisation": _l("Organisation you work for"),
    "organisation_type": _l("Type of organisation"),
    "gender": _l("Gender (optional)"),
    "experience_years": _l("Years of relevant work experience"),
}
CENTRE_LABELS = {
    "nationality": _l("Country of the institution"),
    "organisation": _l("Name of the institution"),
}
PERSONAL_LABELS = {
    "name_in_passport": _l("Name as written in the passport"),
    "passport_number": _l("Passport number"),
    "passport_expires_on": _l("Passport expiry date"),
    "date_of_birth": _l("Date of birth"),
    "passport_nationality": _l("Nationality in the passport"),
}
ORGANISATION_TYPE_LABELS = {
    "manufacturer": _l("Manufacturer (biomanufacturing or vaccine production)"),
    "regulator": _l("National regulatory authority"),
    "academia": _l("University or research institute"),
    "government": _l("Government or ministry"),
    "other": _l("Other"),
}
GENDER_LABELS = {
    "female": _l("Female"),
    "male": _l("Male"),
    "other": _l("Another gender"),
    "prefer_not_to_say": _l("Prefer not to say"),
}
STATE_LABELS = {
    "draft": _l("Draft"), "submitted": _l("Submitted"), "withdrawn": _l("Withdrawn"),
    "accepted": _l("Offered a place"), "waitlisted": _l("On the waitlist"),
    "regretted": _l("Not selected"), "confirmed": _l("Place confirmed"),
    "declined": _l("Place declined"), "lapsed": _l("Offer lapsed"),
}
# The applicant's status track (rules.applicant_status).
TRACK = (("submitted", _l("Submitted")), ("under_review", _l("Under review")),
         ("decision", _l("Decision")))


def pairs(keys: Sequence[str], labels: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(value, label) for a list of options; an option without a label is its own."""
    return [(key, str(labels.get(key, key))) for key in keys]


def script_words() -> dict[str, str]:
    """applications.js's words, in the page's language (%(name)s filled in by the script)."""
    return {
        "saving": _("Saving…"),
        "saved": _("Saved at %(time)s.", time="%(time)s"),
        "notSaved": _("Not saved: see the messages next to the answers. Your other answers "
                      "are saved."),
        "offline": _("Not saved: no connection. Your answers are still on this page; they are "
                     "saved when you next type, or use Save."),
        "sessionEnded": _("Your session has ended: log in again in a new tab, then come back "
                          "and use Save. Your answers are still on this page."),
        "refused": _("Not saved: the server refused this save. Copy anything long you typed, "
                     "then reload the page."),
        "restored": _("What you typed on this device since the last save is back, and being "
                      "saved."),
        "uploading": _("Uploading %(file)s…", file="%(file)s"),
        "uploaded": _("Uploaded:"),
        "words": _("Words: %(count)s (%(low)s to %(high)s).", count="%(count)s",
                   low="%(low)s", high="%(high)s"),
    }


def standard_label(call_kind: str, key: str) -> str:
    labels = CENTRE_LABELS if call_kind == "centre" else TRAINEE_LABELS
    return str(labels[key])


def missing_label(call_kind: str, item: Missing) -> str:
    if item.section == "standard":
        return standard_label(call_kind, item.key)
    if item.section == "travel":
        return str(PERSONAL_LABELS[item.key])
    return item.label


def country(code: str | None) -> str:
    return country_name(code) if code else ""


def _income(code: str | None) -> str:
    group = classification().group_of(code)
    if group is None:
        return _("not classified by the World Bank")
    return _("high-income") if group == "H" else _("low- or middle-income")


def reason_text(reason: Mapping[str, Any]) -> str:
    """Why the applicant is not eligible, in plain words."""
    code = reason.get("code")
    code_of = reason.get("country")
    if code == "nationality_not_lmic":
        return _("Applicants must be citizens of a low- or middle-income country; %(country)s "
                 "is %(group)s.", country=country(code_of), group=_income(code_of))
    if code == "residence_not_lmic":
        return _("Applicants must live in a low- or middle-income country; %(country)s is "
                 "%(group)s.", country=country(code_of), group=_income(code_of))
    if code == "nationality_not_listed":
        return _("This call is open to citizens of the countries it lists; %(country)s is not "
                 "one of them.", country=country(code_of))
    if code == "residence_not_listed":
        return _("This call is open to residents of the countries it lists; %(country)s is "
                 "not one of them.", country=country(code_of))
    if code == "organisation_type":
        allowed = ", ".join(str(ORGANISATION_TYPE_LABELS.get(kind, kind))
                            for kind in reason.get("allowed", []))
        return _("This call is open to people working at: %(allowed)s.", allowed=allowed)
    if code == "experience":
        return _("This call asks for at least %(required)s years of experience; you have "
                 "%(years)s.", required=reason.get("required"), years=reason.get("years"))
    return _("This application does not meet the call's rules.")
