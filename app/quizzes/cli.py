"""`flask quizzes finish-overdue`: run from a timer so overdue attempts end on time even if
nobody opens them (pages also finish them when they are opened)."""

from __future__ import annotations

import click

from app.core.boundary import run_command
from app.core.time import now
from app.quizzes import bp
from app.quizzes.services import finish_overdue_attempts

bp.cli.short_help = "Quiz maintenance."


@bp.cli.command("finish-overdue")
def finish_overdue_command() -> None:
    """Submit every attempt whose time limit has passed, with its saved answers."""
    count = run_command(lambda: finish_overdue_attempts(now()))
    click.echo(f"{count} overdue attempt{'s' if count != 1 else ''} finished.")
