"""The funnel of a call for applications, by country of nationality: applications (every
one handed in: not drafts), eligible, reviewed (at least one score), selected (ever offered
a place: accepted, confirmed, declined or lapsed), confirmed, started (a learner of the
call's intake who opened a module of its programme) and completed (the intake completed).

One grouped statement whatever the number of applications, and the same numbers as a page
(the stages' chart and the table by country), as CSV and as SVG."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pygal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, exists, func, select

from app.calls.models import Application, Call, ReviewScore
from app.content.models import Module
from app.core.auth import authorize
from app.core.errors import NotFound
from app.extensions import db
from app.intakes.models import Intake, IntakeMember, ProgrammeCourse
from app.learning.models import ModuleProgress
from app.reports.charts import STYLE, WIDTH, chart_label, safe_svg
from app.reports.labels import country_label
from app.reports.rules import funnel
from app.reports.tables import Row, Table

CALL_STAGES = {
    "applications": _l("Applications"),
    "eligible": _l("Eligible"),
    "reviewed": _l("Reviewed"),
    "selected": _l("Selected"),
    "confirmed": _l("Confirmed"),
    "started": _l("Started"),
    "completed": _l("Completed"),
}
SELECTED = ("accepted", "confirmed", "declined", "lapsed")
# The stages the chart by country draws side by side (all seven would not read at 360 px).
CHARTED = ("applications", "selected", "confirmed")


@dataclass(frozen=True)
class CountryLine:
    country: str | None
    counts: tuple[int, ...]  # in CALL_STAGES order


@dataclass(frozen=True)
class Grid:
    """The stages by country: a table of its own shape (a column per stage)."""

    name: str
    title: str
    headings: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int, ...]], ...]
    total: tuple[int, ...]


@dataclass(frozen=True)
class CallFunnel:
    call_id: int
    call_code: str
    call_title: str
    centre_id: int
    stages: Table
    countries: Grid


def _flag(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def funnel_by_country(call: Call) -> list[CountryLine]:
    """Each stage's count by nationality: one statement."""
    reviewed = exists().where(ReviewScore.application_id == Application.id)
    selected = Application.state.in_(SELECTED)
    started: Any = False
    completed: Any = False
    if call.intake_id is not None:
        programme = select(Intake.programme_id).where(Intake.id == call.intake_id)
        courses = select(ProgrammeCourse.course_id).where(
            ProgrammeCourse.programme_id.in_(programme.scalar_subquery()))
        member = and_(IntakeMember.intake_id == call.intake_id,
                      IntakeMember.user_id == Application.applicant_id)
        started = and_(exists().where(member), exists().where(
            ModuleProgress.user_id == Application.applicant_id,
            ModuleProgress.module_id == Module.id, Module.course_id.in_(courses)))
        completed = exists().where(member, IntakeMember.completed_at.is_not(None))
    rows = db.session.execute(
        select(Application.nationality.label("country"), func.count().label("applications"),
               _flag(Application.eligible.is_(True)).label("eligible"),
               _flag(reviewed).label("reviewed"), _flag(selected).label("selected"),
               _flag(Application.state == "confirmed").label("confirmed"),
               (_flag(started) if call.intake_id else func.sum(0)).label("started"),
               (_flag(completed) if call.intake_id else func.sum(0)).label("completed"))
        .where(Application.call_id == call.id, Application.state != "draft")
        .group_by(Application.nationality)).mappings()
    return [CountryLine(row["country"], tuple(int(row[key] or 0) for key in CALL_STAGES))
            for row in rows]


def totals(lines: Sequence[CountryLine]) -> tuple[int, ...]:
    return tuple(sum(line.counts[i] for line in lines) for i in range(len(CALL_STAGES)))


def stages_table(total: tuple[int, ...]) -> Table:
    stages = funnel(list(zip(CALL_STAGES, total, strict=True)))
    rows = tuple(Row(stage.key, str(CALL_STAGES[stage.key]), stage.count, base=stage.base)
                 for stage in stages)
    return Table("funnel", _("From application to completion"), _("Stage"), _("Applicants"),
                 rows, "stages", chart="bar", base_heading=_("Of the applications"),
                 share_heading=_("Share"))


def countries_grid(lines: Sequence[CountryLine]) -> Grid:
    labelled = sorted(((country_label(line.country), line.counts) for line in lines),
                      key=lambda pair: (-pair[1][0], pair[0]))
    return Grid("countries", _("The funnel by country"),
                (_("Country"), *(str(label) for label in CALL_STAGES.values())),
                tuple(labelled), totals(lines))


def read_call_funnel(actor: Any, call_id: int) -> CallFunnel:
    """The call's funnel for its officers (`call.run`): PermissionDenied for anyone else."""
    call = db.session.get(Call, call_id)
    if call is None:
        raise NotFound(_("There is no such call."))
    authorize(actor, "call.run", call)
    lines = funnel_by_country(call)
    return CallFunnel(call.id, call.code, call.title, call.centre_id,
                      stages_table(totals(lines)), countries_grid(lines))


def grid_csv_rows(grid: Grid, preamble: Sequence[Sequence[str]]) -> list[list[Any]]:
    rows: list[list[Any]] = [list(line) for line in preamble]
    rows.append(list(grid.headings))
    rows += [[label, *counts] for label, counts in grid.rows]
    rows.append([_("Total"), *grid.total])
    return rows


def grid_chart(grid: Grid) -> str:
    """Applications, selected and confirmed side by side for each country, as SVG."""
    keys = list(CALL_STAGES)
    top = max((max(counts) for _label, counts in grid.rows), default=0)
    step = max(1, math.ceil(top / 4))
    chart = pygal.HorizontalBar(
        y_labels=list(range(0, top + step + 1, step)) if top else None,
        title=grid.title, width=WIDTH, height=max(260, 120 + 60 * len(grid.rows)),
        style=STYLE, show_legend=True, legend_at_bottom=True, legend_at_bottom_columns=3,
        truncate_legend=-1,
        js=[], disable_xml_declaration=True, print_values=False, truncate_label=-1,
        show_y_guides=False, show_x_guides=True, margin=12, explicit_size=False,
        pretty_print=False, value_formatter=lambda value: f"{value:,.0f}",
        no_data_text="\u2013")
    rows = list(reversed(grid.rows))  # pygal draws a horizontal chart from the bottom up
    chart.x_labels = [chart_label(label) for label, _counts in rows]
    for key in CHARTED:
        index = keys.index(key)
        chart.add(str(CALL_STAGES[key]), [counts[index] for _label, counts in rows])
    return safe_svg(chart.render_tree())
