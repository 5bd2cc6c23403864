"""URL converters shared by every blueprint."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

# The largest id the database holds: ids are INTEGER columns, 32-bit on PostgreSQL (SQLite's
# are 64-bit). A larger number is refused by PostgreSQL and by SQLite's driver past 2**63.
LARGEST_ID = 2**31 - 1


class DatabaseIntegerConverter(IntegerConverter):
    """`<int:...>` that matches only numbers a database can compare with: a larger one in a
    URL is a page that does not exist (404), not a database error (500)."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = LARGEST_ID, signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)
