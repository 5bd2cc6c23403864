"""What the report pages need beyond a report: each table with its chart, the line that
names the income classification, and the list of reports a person may open."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from app.centres.scope import staff_centre_ids
from app.core.roles import Role
from app.reports.charts import data_url, render_chart
from app.reports.income import Classification
from app.reports.queries import CentreHead, IntakeRef, centres_of, intakes_of
from app.reports.tables import Shown, Table, shown

# The centre roles that see reports (with the network administrator).
REPORT_ROLES = ("centre_admin", "programme_officer")


@dataclass(frozen=True)
class Block:
    table: Table
    shown: Shown
    chart: str | None  # the chart as a data: URL for an <img>, or None (a table only)


def blocks(tables: dict[str, Table]) -> list[Block]:
    return [Block(table, shown(table), data_url(render_chart(table)) if table.chart else None)
            for table in tables.values()]


def classification_line(income: Classification) -> str:
    return _("Income groups: World Bank classification %(year)s, released %(date)s.",
             year=income.fiscal_year, date=format_date(income.released, "long"))


@dataclass(frozen=True)
class IndexCentre:
    centre: CentreHead
    intakes: list[IntakeRef]

    @property
    def id(self) -> int:
        return self.centre.id


def report_index(user: Any) -> tuple[list[IndexCentre], bool]:
    """The centres whose reports `user` may open, each with its intakes, and whether the
    network report is theirs too: three statements at most."""
    ids = staff_centre_ids(user, *REPORT_ROLES)
    if ids is not None and not ids:
        return [], False
    by_centre: dict[int, list[IntakeRef]] = {}
    for ref in intakes_of(ids):
        by_centre.setdefault(ref.centre_id, []).append(ref)
    centres = [IndexCentre(c, by_centre.get(c.id, [])) for c in centres_of(ids)]
    return centres, user.has_role(Role.ADMIN)
