"""The one CSV writer of every export: cells a spreadsheet cannot run, and a BOM.

A learner can name themselves `=HYPERLINK("http://x","y")`; opened in Excel or LibreOffice,
an export that writes that name as it is holds a live formula. OWASP's advice (CSV
injection) is followed: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return gets a leading single quote, which spreadsheets show as text. Numbers, including
negative ones written as text (`-1.5`), stay numbers. The UTF-8 byte order mark makes Excel
read the file as UTF-8, so that "Nguyễn Thị Ánh" is not shown as mojibake.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Response, stream_with_context

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """`value` as a spreadsheet will take it as data, never as a formula."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _NUMBER.fullmatch(value):
        return value
    return "'" + value


def csv_line(row: Iterable[Any]) -> str:
    """One row as a line of CSV, each cell made safe."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([safe_cell(value) for value in row])
    return buffer.getvalue()


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The file as chunks, one row each, the BOM in front: a streamed export stays a
    stream, so memory stays flat however many rows there are."""
    yield BOM
    for row in rows:
        yield csv_line(row)


def csv_response(rows: Iterable[Iterable[Any]], filename: str) -> Response:
    """A CSV download, streamed row by row as `rows` yields them (within the request, so
    that a generator reading the database keeps its session)."""
    return Response(stream_with_context(csv_lines(rows)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
