"""Roster CSV rows, streamed one by one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_pgettext

from app.core.countries import country_name
from app.learning.queries import CourseView, RosterRow

# An enrolment's status as the CSV writes it (the table stores the English code).
ENROLMENT_STATUSES = {
    "requested": lazy_pgettext("enrolment status", "requested"),
    "active": lazy_pgettext("enrolment status", "active"),
    "declined": lazy_pgettext("enrolment status", "declined"),
    "withdrawn": lazy_pgettext("enrolment status", "withdrawn"),
}


def roster_csv(view: CourseView, rows: list[RosterRow]) -> Iterator[list[Any]]:
    modules = [fact.slug for fact in view.facts]
    # Translators: the roster CSV's column headers (the modules' ids follow them).
    yield [_("name"), _("email"), _("country"), _("organisation"), _("enrolment"),
           _("percent"), *modules]
    for row in rows:
        yield [row.learner.name, row.learner.email, country_name(row.learner.country),
               row.learner.organisation,
               str(ENROLMENT_STATUSES.get(row.enrolment.status, row.enrolment.status)),
               row.progress.percent,
               *(str(row.progress.states[slug].label) for slug in modules)]
