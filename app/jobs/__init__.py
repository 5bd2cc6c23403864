"""Background jobs on Huey: one queue per app, from JOBS_URL, and the worker that runs them.

A job is a function of `now`, declared in its feature's own module with one decorator that
only describes it, and registered in that feature's `init_app`:

    @periodic("classroom.remind_sessions", minute="*/5")
    def remind_sessions(now: datetime) -> int: ...

    JOBS.register(app, remind_sessions.name, remind_sessions)      # in init_app

`@periodic(...)` takes Huey's crontab fields (minute, hour, day, month, day_of_week);
`@on_demand(name)` declares a job that runs only when enqueued. Any job can be enqueued
with `enqueue(name)`. The worker runs each job in an app context of its own, with the
write lock taken when its transactions begin on SQLite (as a CLI command's are), and commits
once it returns, or rolls back if it raised.

The queue is Huey's: a SQLite file by default (`sqlite:///instance/jobs.db`), Redis for
workers on several nodes (`redis://...`), memory for the tests (`memory://`). It is made
the first time the app needs it, after every feature has registered its jobs.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab

from app.core.db import write_intent
from app.core.registry import Registry
from app.core.time import now
from app.extensions import db

log = logging.getLogger(__name__)

QUEUE = "trainhub.jobs_queue"
_building = threading.Lock()


@dataclass(frozen=True)
class Job:
    """A background job: `run(now)`; `schedule` says on which minutes the worker starts it
    by itself (None: only when enqueued)."""

    name: str
    run: Callable[[datetime], object]
    schedule: Callable[[datetime], bool] | None = None

    def __call__(self, now: datetime) -> object:
        return self.run(now)


JOBS: Registry[Job] = Registry("jobs")


def periodic(name: str, **when: str) -> Callable[[Callable[[datetime], object]], Job]:
    """Declare a job that the worker starts on the minutes `when` names (Huey's crontab
    fields: minute="*" is every minute, hour="6", minute="0" is 06:00 UTC every day)."""
    schedule = crontab(**when)

    def describe(run: Callable[[datetime], object]) -> Job:
        return Job(name=name, run=run, schedule=schedule)

    return describe


def on_demand(name: str) -> Callable[[Callable[[datetime], object]], Job]:
    """Declare a job that runs only when something enqueues it."""

    def describe(run: Callable[[datetime], object]) -> Job:
        return Job(name=name, run=run)

    return describe


def run_job(app: Flask, job: Job) -> object:
    """Run one job as the worker does: its own app context and session, SQLite's write lock
    from each BEGIN, one commit at the end (a job may commit before, as the outbox does)."""
    with app.app_context():
        token = write_intent.set(True)
        try:
            result = job(now())
            db.session.commit()
            return result
        except BaseException:
            db.session.rollback()
            raise
        finally:
            write_intent.reset(token)


def make_huey(url: str) -> Huey:
    """The queue that JOBS_URL names; results are not kept (nothing waits for them)."""
    options: dict[str, Any] = {"results": False, "utc": True}
    if url.startswith(("redis://", "rediss://")):
        # A Redis host that does not answer is given up on at once: a request that enqueues
        # and the health check wait 2 s at most (the worker's blocking read has its own).
        from redis import ConnectionPool

        pool = ConnectionPool.from_url(url, socket_connect_timeout=2)
        return RedisHuey("trainhub", connection_pool=pool, **options)
    if url.startswith("memory://"):
        return MemoryHuey("trainhub", **options)
    return SqliteHuey("trainhub", filename=url.removeprefix("sqlite:///"), **options)


@dataclass(frozen=True)
class Queue:
    """The app's Huey instance and the Huey task of each registered job, by the job's name."""

    huey: Huey
    tasks: dict[str, Any]


def queue_for(app: Flask | None = None) -> Queue:
    """The app's queue, with a Huey task for each registered job, made on first use."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    with _building:
        queue: Queue | None = app.extensions.get(QUEUE)
        if queue is None:
            huey = make_huey(app.config["JOBS_URL"])
            queue = Queue(huey, {job.name: _add_task(huey, app, job)
                                 for job in JOBS.entries(app).values()})
            app.extensions[QUEUE] = queue
    return queue


def huey_for(app: Flask | None = None) -> Huey:
    return queue_for(app).huey


def _add_task(huey: Huey, app: Flask, job: Job) -> Any:
    def task() -> object:
        return run_job(app, job)

    task.__name__ = job.name.replace(".", "_")
    if job.schedule is None:
        return huey.task(name=job.name)(task)
    return huey.periodic_task(job.schedule, name=job.name)(task)


def enqueue(name: str, app: Flask | None = None) -> None:
    """Ask a worker to run the job soon (at once, in Huey's immediate mode). A queue that
    cannot be reached is logged, never raised: what the job does is also done by its
    periodic run, or by the next enqueue."""
    JOBS.get(name, app)  # NotRegistered, naming the job, if no feature registered it
    try:
        queue_for(app).tasks[name]()
    except Exception:
        log.exception("could not enqueue the job %s", name)


def init_app(app: Flask) -> None:
    """`flask jobs worker`. The queue itself is made on first use, once every feature has
    registered its jobs."""
    from app.jobs.cli import jobs_cli

    app.cli.add_command(jobs_cli)
