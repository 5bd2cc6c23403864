"""The words reports put on stored codes, in the page's language."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from app.core.countries import country_name

INCOME_GROUPS = {
    "L": _l("Low income"),
    "LM": _l("Lower-middle income"),
    "UM": _l("Upper-middle income"),
    "H": _l("High income"),
}
ORGANISATION_TYPES = {
    "manufacturer": _l("Manufacturer"),
    "regulator": _l("Regulator"),
    "academia": _l("Academia"),
    "government": _l("Government"),
    "other": lazy_pgettext("organisation type", "Other"),
}
GENDERS = {
    "female": _l("Female"),
    "male": _l("Male"),
    "other": lazy_pgettext("gender", "Other"),
}
MODALITIES = {
    # Translators: the three modalities of training, short: they label a chart's bars.
    "virtual": _l("Virtual"),
    "classroom": _l("Classroom"),
    "hands-on": _l("Hands-on"),
}
STAGES = {
    "enrolled": _l("Enrolled"),
    "started": _l("Started"),
    "completed": _l("Completed"),
    "certified": _l("Certified"),
}
NOT_RECORDED = _l("Not recorded")
NOT_CLASSIFIED = _l("Not classified")


def country_label(code: str | None) -> str:
    if not code:
        return str(NOT_RECORDED)
    return country_name(code) or code


def income_label(group: str | None) -> str:
    return str(INCOME_GROUPS.get(group or "", NOT_CLASSIFIED))


def coded_label(labels: Mapping[str, object], code: str | None) -> str:
    """A stored code's word, the code itself when it is one nobody named, or "Not
    recorded"."""
    if not code:
        return str(NOT_RECORDED)
    return str(labels.get(code, code))
