"""What the board's table shows of the whole board: a filter and a page of rows. The
proposal and the figures above the table are always of every application."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
class BoardPage:
    """One page of the filtered table, with what the `pager` macro reads."""

    rows: tuple[BoardRow, ...]
    total: int
    page: int
    pages: int
    show: str
    country: str

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def board_page(board: Board, show: str, country: str, page: int) -> BoardPage:
    """The rows that pass the filter (an unknown filter shows all), page `page` of them."""
    show = show if show in FILTERS else "all"
    keep = FILTERS[show]
    rows = [row for row in board.rows if keep(row) and (not country or row.country == country)]
    pages = max(1, -(-len(rows) // PER_PAGE))
    page = min(max(page, 1), pages)
    start = (page - 1) * PER_PAGE
    return BoardPage(tuple(rows[start:start + PER_PAGE]), len(rows), page, pages, show,
                     country)
