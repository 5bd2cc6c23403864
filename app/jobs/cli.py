"""`flask jobs worker`: the consumer that runs the background jobs."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import AppGroup

from app.jobs import JOBS, queue_for

jobs_cli = AppGroup("jobs", help="Background jobs.")


@jobs_cli.command("worker")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Threads that run jobs (default: JOBS_WORKERS, 2).")
@click.option("--periodic/--no-periodic", default=True, show_default=True,
              help="Also start the periodic jobs on their minutes. With several workers on "
                   "one queue, one may do it for all.")
def worker_command(workers: int | None, periodic: bool) -> None:
    """Run the jobs queued in JOBS_URL, and the periodic ones, until stopped (Ctrl-C or
    SIGTERM: the jobs running finish first)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    queue = queue_for(app)
    click.echo(f"TrainHub worker on {app.config['JOBS_URL']}: "
               f"{', '.join(sorted(JOBS.entries(app)))}")
    consumer = queue.huey.create_consumer(
        workers=workers or app.config["JOBS_WORKERS"], worker_type="thread",
        periodic=periodic, check_worker_health=True)
    consumer.run()
