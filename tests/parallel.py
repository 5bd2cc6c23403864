"""Two workers at once, in one test: the claims that make a job or the outbox safe to run on
several nodes (tests/mail/test_outbox.py, tests/notifications) are tried by running the same
work from threads, each with an app context of its own, so a session and a database
connection of its own, as two worker processes would have."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from flask import Flask

from app.extensions import db

T = TypeVar("T")
TIMEOUT_S = 60


def in_parallel(app: Flask, work: Callable[[], T], workers: int = 2) -> list[T]:
    """Run `work` in `workers` threads released together at a barrier, each in an app
    context of its own; what each returned. The first exception raised in a thread is
    raised here, so that it fails the test that ran them."""
    start = threading.Barrier(workers)
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        with app.app_context():
            start.wait()
            try:
                results.append(work())
            except BaseException as error:  # raised in the test's thread below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT_S)
    if errors:
        raise errors[0]
    assert len(results) == workers, f"a worker still ran after {TIMEOUT_S} s"
    return results
