"""Bulk inserts for the benchmarks' generated data: thousands of rows per statement."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import insert

from app.extensions import db

BATCH = 5_000


def _batches(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def insert_rows(model: type, rows: Iterator[dict[str, Any]]) -> int:
    """Insert `rows` into `model`'s table in batches; how many went in."""
    count = 0
    for batch in _batches(rows):
        db.session.execute(insert(model), batch)
        count += len(batch)
    return count
