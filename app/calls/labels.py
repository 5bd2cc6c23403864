"""The words the call pages put on stored codes (a call's kind, status and phase, an
application's state, a field's kind, an organisation type), in the page's language; and the
one way a rule's `Problem` is read."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext, lazy_pgettext
from flask_babel import lazy_gettext as _l

from app.calls.problems import Problem

CALL_KIND_LABELS = {
    "trainee": _l("Trainees for an intake"),
    "centre": _l("Centres joining the network (expression of interest)"),
}
STATUS_LABELS = {
    "draft": _l("Draft"),
    "published": _l("Published"),
    "decided": _l("Decided"),
}
PHASE_LABELS = {
    # Translators: the phase of a call for applications.
    "draft": lazy_pgettext("call phase", "Not published"),
    "upcoming": _l("Opening soon"),
    "open": _l("Open"),
    "closed": _l("Closed"),
    "decided": _l("Decided"),
}
STATE_LABELS = {
    # Translators: the state of an application to a call.
    "draft": lazy_pgettext("application state", "Being written"),
    "submitted": _l("Submitted"),
    "withdrawn": _l("Withdrawn"),
    "accepted": _l("Accepted"),
    "waitlisted": _l("Waitlisted"),
    "regretted": _l("Not selected"),
    "confirmed": _l("Confirmed"),
    "declined": _l("Declined"),
    "lapsed": _l("Offer lapsed"),
}
FIELD_KIND_LABELS = {
    "text": _l("Short text"),
    "long_text": _l("Long text"),
    "choice": _l("Choice"),
    "country": _l("Country"),
    "date": _l("Date"),
    "number": _l("Number"),
    "file": _l("PDF document"),
}
# The same words as the reports', so the catalogs already hold them.
ORGANISATION_TYPE_LABELS = {
    "manufacturer": _l("Manufacturer"),
    "regulator": _l("Regulator"),
    "academia": _l("Academia"),
    "government": _l("Government"),
    "other": lazy_pgettext("organisation type", "Other"),
}
COUNTRY_RULE_LABELS = {
    "any": _l("Any country"),
    "lmic": _l("Low- and middle-income countries (World Bank income groups)"),
    "list": _l("The countries listed"),
}


def label(labels: Mapping[str, object], code: str | None) -> str:
    """A code's word, or the code itself when nobody named it."""
    return str(labels.get(code or "", code or ""))


def problem_text(problem: Problem) -> str:
    """A rule's problem in the page's language."""
    return gettext(problem.message, **problem.values)
