"""Where one page stands among a listing's pages: what the `pager` macro (macros.html) reads,
as Flask-SQLAlchemy's pagination offers it, for the listings that count and slice their rows
themselves."""

from __future__ import annotations


class Paged:
    """Mixed into a page of rows that has `page` (from 1), `total` (rows in all) and
    `per_page`."""

    page: int
    total: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

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
