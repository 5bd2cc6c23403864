"""`flask intakes import CODE file.csv [--dry-run]`: an intake's trainees from a CSV file, by
the same service as the browser's import."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.core.boundary import run_command
from app.core.time import now
from app.extensions import db
from app.intakes.importing import ImportPlan, import_trainees, plan_import
from app.intakes.models import Intake

intakes_cli = AppGroup("intakes", help="Programmes and intakes.")


def _summary(plan: ImportPlan) -> str:
    return (f"{len(plan.new)} new accounts, {len(plan.matched)} existing accounts matched by "
            f"e-mail, {len(plan.members)} in the intake already, {plan.seats_left} of "
            f"{plan.seats} seats left after the import")


@intakes_cli.command("import")
@click.argument("code")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what the import would do; write nothing.")
def import_command(code: str, path: Path, dry_run: bool) -> None:
    """Import the trainees of PATH into the intake CODE. Every problem is listed as
    path:line: error: message, and nothing is written when there is any."""
    found = db.session.scalars(select(Intake).where(Intake.code == code)).all()
    if len(found) != 1:
        raise click.ClickException(f"no intake has the code {code!r}" if not found else
                                   f"several centres have an intake {code!r}")
    intake, data = found[0], path.read_bytes()
    plan = plan_import(intake, data) if dry_run else run_command(
        lambda: import_trainees(None, intake, data, now()))
    for problem in plan.problems:
        click.echo(problem.text(str(path)), err=True)
    if not plan.ok:
        db.session.rollback()
        raise SystemExit(1)
    click.echo(("Dry run: " if dry_run else "Imported: ") + _summary(plan))
