"""The bounded per-app caches: never more than their size, the least recently used value
goes first, each app has its own, and many threads at once neither corrupt nor overfill one."""

from __future__ import annotations

import threading

import pytest

from app.core.caches import AppCache


def test_a_full_cache_drops_the_least_recently_used_value(app) -> None:
    cache: AppCache[int, str] = AppCache("test squares", size=3)
    computed: list[int] = []

    def value(n: int) -> str:
        computed.append(n)
        return f"value {n}"

    for n in (1, 2, 3):
        assert cache.get(n, lambda: value(n)) == f"value {n}"  # noqa: B023 - called at once
    assert cache.get(1, lambda: value(1)) == "value 1"  # kept: not computed again
    assert computed == [1, 2, 3]
    cache.get(4, lambda: value(4))  # full: 2 is the least recently used
    assert len(cache) == 3
    assert cache.get(1, lambda: value(1)) == "value 1"
    assert cache.get(3, lambda: value(3)) == "value 3"
    assert computed == [1, 2, 3, 4]
    cache.get(2, lambda: value(2))  # dropped, so computed again
    assert computed == [1, 2, 3, 4, 2]
    assert len(cache) == 3


def test_put_replaces_a_kept_value(app) -> None:
    cache: AppCache[str, int] = AppCache("test replace", size=2)
    assert cache.get("a", lambda: 1) == 1
    cache.put("a", 2)
    assert cache.get("a", lambda: 3) == 2


def test_each_app_has_its_own_values(make_app) -> None:
    cache: AppCache[str, str] = AppCache("test per app", size=10)
    first, second = make_app(), make_app()
    with first.app_context():
        assert cache.get("key", lambda: "first") == "first"
    with second.app_context():
        assert cache.get("key", lambda: "second") == "second"
    with first.app_context():
        assert cache.get("key", lambda: "again") == "first"


def test_threads_at_once_keep_it_within_its_size(app) -> None:
    cache: AppCache[int, int] = AppCache("test threads", size=50)
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def hammer(offset: int) -> None:
        with app.app_context():
            start.wait()
            try:
                for n in range(2_000):
                    key = (n * 7 + offset) % 300
                    assert cache.get(key, lambda: key * key) == key * key  # noqa: B023
                    if n % 5 == 0:
                        cache.put(key, key * key)
            except BaseException as error:  # reported below
                errors.append(error)

    threads = [threading.Thread(target=hammer, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(cache) == 50


def test_a_cache_keeps_at_least_one_value() -> None:
    with pytest.raises(ValueError, match="at least one"):
        AppCache("test empty", size=0)
