"""Roster CSV rows, streamed one by one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.core.countries import country_name
from app.learning.queries import CourseView, RosterRow


def roster_csv(view: CourseView, rows: list[RosterRow]) -> Iterator[list[Any]]:
    modules = [fact.slug for fact in view.facts]
    yield ["name", "email", "country", "organisation", "enrolment", "percent", *modules]
    for row in rows:
        yield [row.learner.name, row.learner.email, country_name(row.learner.country),
               row.learner.organisation, row.enrolment.status, row.progress.percent,
               *(row.progress.states[slug].label for slug in modules)]
