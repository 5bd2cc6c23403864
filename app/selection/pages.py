"""What the board's table shows of the whole board: a filter and a page of rows. The
proposal and the figures above the table are always of every application."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.core.paging import Paged
from app.selection.board import Board, BoardRow

PER_PAGE = 50

FILTERS: dict[str, Callable[[BoardRow], bool]] = {
    "all": lambda row: True,
    "accepted": lambda row: row.placement.outcome == "accepted",
    "waitlisted": lambda row: row.placement.outcome == "waitlisted",
    "regretted": lambda row: row.placement.outcome == "regretted",
    "disagreement": lambda row: row.scores.disagreement,
    "overridden": lambda row: row.override is not None,
    "not_scored": lambda row: row.scores.count == 0,
    "not_eligible": lambda row: not row.eligible,
}


@dataclass(frozen=True)
class BoardPage(Paged):
    """One page of the filtered table, with what the `pager` macro reads."""

    rows: tuple[BoardRow, ...]
    total: int
    page: int
    show: str
    country: str
    per_page: int = PER_PAGE


def board_page(board: Board, show: str, country: str, page: int) -> BoardPage:
    """The rows that pass the filter (an unknown filter shows all), page `page` of them."""
    show = show if show in FILTERS else "all"
    keep = FILTERS[show]
    rows = [row for row in board.rows if keep(row) and (not country or row.country == country)]
    pages = max(1, -(-len(rows) // PER_PAGE))
    page = min(max(page, 1), pages)
    start = (page - 1) * PER_PAGE
    return BoardPage(tuple(rows[start:start + PER_PAGE]), len(rows), page, show, country)
