"""Values a worker computes once and keeps: built links, signed CSRF tokens, the questions of
open attempts. Each store belongs to the app (so to the worker, and to each test's app) and
is bounded: when full it is emptied, since every value can be computed again."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app

V = TypeVar("V")


def kept(store: str, key: Hashable, compute: Callable[[], V], *, limit: int,
         fresh: bool = False) -> V:
    """The value kept under `key` in `store`, or `compute()`'s, then kept. `fresh` computes
    it again whatever is kept (a caller that has reason to doubt the kept value)."""
    values: dict[Hashable, Any] = current_app.extensions.setdefault(f"trainhub.{store}", {})
    if not fresh:
        try:
            return values[key]
        except KeyError:
            pass
    value = compute()
    if len(values) >= limit:
        values.clear()
    values[key] = value
    return value
