"""Roster CSV, streamed row by row."""

from __future__ import annotations

from collections.abc import Iterator

from app.auth.countries import country_name
from app.learning.queries import CourseView, RosterRow
from app.records.exports import csv_line


def roster_csv(view: CourseView, rows: list[RosterRow]) -> Iterator[str]:
    modules = [fact.slug for fact in view.facts]
    yield csv_line(["name", "email", "country", "organisation", "enrolment", "percent",
                    *modules])
    for row in rows:
        yield csv_line([row.learner.name, row.learner.email,
                        country_name(row.learner.country), row.learner.organisation,
                        row.enrolment.status, row.progress.percent,
                        *(row.progress.states[slug].label for slug in modules)])
