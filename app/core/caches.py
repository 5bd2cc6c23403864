"""Bounded caches of values a worker computes once and keeps: the questions of open
attempts, exam papers, the words of the attempt page.

Each cache is declared once, where it is used, with its name and size (`AppCache`); its
values belong to the app, so to the worker and to each test's app. It keeps at most `size`
values and drops the least recently used one to make room (cachetools' LRU), and it is
safe under threads (gunicorn's sync workers have one, but a threaded server must not
corrupt it). Every value in one can be computed again, so dropping one costs only time.
What each cache buys is measured in docs/performance.md.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar, cast

from cachetools import LRUCache
from flask import current_app

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_MISSING = object()


class _Store(Generic[K, V]):
    """One app's values of one cache, behind a lock (cachetools' caches have none)."""

    def __init__(self, size: int) -> None:
        self.values: LRUCache[K, V] = LRUCache(maxsize=size)
        self.lock = threading.Lock()


class AppCache(Generic[K, V]):
    """A least-recently-used cache of at most `size` values, kept per app."""

    def __init__(self, name: str, size: int) -> None:
        if size < 1:
            raise ValueError("a cache keeps at least one value")
        self.name, self.size = name, size

    def _store(self) -> _Store[K, V]:
        stores: dict[str, _Store[K, V]] = current_app.extensions.setdefault(
            "trainhub.caches", {})
        store = stores.get(self.name)
        if store is None:
            store = stores.setdefault(self.name, _Store(self.size))
        return store

    def get(self, key: K, compute: Callable[[], V]) -> V:
        """The value kept under `key`, or `compute()`'s, then kept. `compute` runs outside
        the lock: two threads may both compute a missing value, and either result is kept."""
        store = self._store()
        with store.lock:
            found = store.values.get(key, _MISSING)
        if found is not _MISSING:
            return cast(V, found)
        value = compute()
        self.put(key, value)
        return value

    def put(self, key: K, value: V) -> None:
        """Keep `value` under `key`, in place of what was kept (a caller that knows better)."""
        store = self._store()
        with store.lock:
            store.values[key] = value

    def __len__(self) -> int:
        store = self._store()
        with store.lock:
            return len(store.values)
