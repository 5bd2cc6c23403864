"""A report's numbers as tables: the one shape that its page, its charts and its CSV
downloads are all drawn from, so that a chart and its CSV can never disagree.

Each table names how a publication protects it (`rule`, a key of `PUBLISHERS`):
- `partition`: the rows split one population whose total is published (trainees by
  organisation type, scores by band): `rules.suppress`;
- `grouped`: the same, and each group's subtotal is published too (countries, with the
  trainees from low- and middle-income countries): `rules.suppress_grouped`;
- `stages`: each row a count of its own (the funnel's stages): counts of 1 to 4 hidden;
- `rates`: each row "passed" of "assessed", with "not passed" the rest: the pair protected
  as a partition of the row's base;
- `measures`: hours, not people: shown as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.reports.rules import hide_small, suppress, suppress_grouped

HIDDEN_SHARE = "\u2013"  # an en dash


@dataclass(frozen=True)
class Row:
    key: str  # stable: a country code, an organisation type, a band
    label: str  # in the page's language
    value: float
    base: int | None = None  # for rates: the denominator
    extra: tuple[str, ...] = ()  # more text columns (a country's ISO alpha-3, its group)
    group: str = ""  # for `grouped` tables
    short: str = ""  # the label on a chart, when the label is long (a centre's code)


@dataclass(frozen=True)
class Cell:
    value: float | str
    kind: str = "count"  # text, count, hours or percent (points out of 100)


@dataclass(frozen=True)
class Table:
    name: str  # its file name: countries.csv, countries.svg
    title: str
    label_heading: str
    value_heading: str
    rows: tuple[Row, ...]
    rule: str
    chart: str | None = "hbar"  # hbar, bar or None (a table only)
    extra_headings: tuple[str, ...] = ()
    base_heading: str = ""
    share_heading: str = ""
    total_label: str = ""  # "" when the table has no total row
    note: str = ""
    kind: str = "count"

    @property
    def total(self) -> float:
        return sum(row.value for row in self.rows)

    def headings(self) -> list[str]:
        extra = [self.base_heading, self.share_heading] if self.base_heading else []
        return [self.label_heading, *self.extra_headings, self.value_heading, *extra]


@dataclass(frozen=True)
class Shown:
    """A table as a page or a CSV shows it: its headings, rows and total row of cells."""

    headings: list[str]
    rows: list[list[Cell]]
    total: list[Cell] | None


def _share(value: float | str, base: int | str | None) -> Cell:
    if isinstance(value, str) or isinstance(base, str):
        return Cell(HIDDEN_SHARE, "text")  # a share of a hidden count would give it away
    if not base:
        return Cell("", "text")
    return Cell(round(100 * value / base, 1), "percent")


def _cells(table: Table, row: Row, value: float | str, base: int | str | None) -> list[Cell]:
    cells = [Cell(row.label, "text"), *(Cell(text, "text") for text in row.extra),
             Cell(value, table.kind if not isinstance(value, str) else "text")]
    if table.base_heading:
        cells += [Cell(base if base is not None else "", "count" if isinstance(base, int)
                       else "text"), _share(value, base)]
    return cells


def _total(table: Table, shown: float | str) -> list[Cell] | None:
    if not table.total_label:
        return None
    return [Cell(table.total_label, "text"), *(Cell("", "text") for _ in table.extra_headings),
            Cell(shown, table.kind if not isinstance(shown, str) else "text")]


def _as_is(table: Table) -> tuple[list[float | str], list[int | str | None], float | str]:
    return [r.value for r in table.rows], [r.base for r in table.rows], table.total


def _partition(table: Table) -> tuple[list[float | str], list[int | str | None], float | str]:
    done = suppress([int(r.value) for r in table.rows])
    return list(done.shown()), [None] * len(table.rows), done.shown_total()


def _grouped(table: Table) -> tuple[list[float | str], list[int | str | None], float | str]:
    done = suppress_grouped([int(r.value) for r in table.rows], [r.group for r in table.rows])
    return list(done.shown()), [None] * len(table.rows), done.shown_total()


def _stages(table: Table) -> tuple[list[float | str], list[int | str | None], float | str]:
    return ([hide_small(int(r.value)) for r in table.rows],
            [hide_small(r.base) if r.base is not None else None for r in table.rows],
            hide_small(int(table.total)))


def _rates(table: Table) -> tuple[list[float | str], list[int | str | None], float | str]:
    values: list[float | str] = []
    bases: list[int | str | None] = []
    for row in table.rows:
        base = row.base or 0
        done = suppress([int(row.value), base - int(row.value)])
        values.append(done.shown()[0])
        bases.append(done.shown_total())
    return values, bases, ""


Publisher = Callable[[Table], tuple[list[float | str], list[int | str | None], float | str]]
PUBLISHERS: dict[str, Publisher] = {
    "partition": _partition,
    "grouped": _grouped,
    "stages": _stages,
    "rates": _rates,
    "measures": _as_is,
}


def shown(table: Table, *, publication: bool = False) -> Shown:
    """The table's cells as they are, or as a publication may show them."""
    values, bases, total = PUBLISHERS[table.rule](table) if publication else _as_is(table)
    rows = [_cells(table, row, value, base)
            for row, value, base in zip(table.rows, values, bases, strict=True)]
    return Shown(table.headings(), rows, _total(table, total))


def csv_rows(table: Table, *, publication: bool, preamble: Sequence[Sequence[str]] = ()
             ) -> list[list[float | str]]:
    """The table as CSV rows: the preamble lines (title, source, dates), its headings, its
    rows and its total."""
    table_shown = shown(table, publication=publication)
    rows: list[list[float | str]] = [list(line) for line in preamble]
    rows.append(list(table_shown.headings))
    rows += [[cell.value for cell in row] for row in table_shown.rows]
    if table_shown.total:
        rows.append([cell.value for cell in table_shown.total])
    return rows
