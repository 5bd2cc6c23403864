"""`flask courses export COURSE_ID DIR`: the published revision back to files, for git."""

from __future__ import annotations

from pathlib import Path

import click

from app.authoring.folders import export_published
from app.authoring.revisions import find_source
from app.content.cli import courses_cli
from app.core.boundary import run_command


@courses_cli.command("export")
@click.argument("course_id")
@click.argument("folder", type=click.Path(path_type=Path))
def export_command(course_id: str, folder: Path) -> None:
    """Write COURSE_ID's published files into FOLDER (FOLDER becomes the course folder)."""
    source = find_source(course_id)
    if source is None:
        raise click.ClickException(f"no course {course_id!r} has sources in TrainHub")
    written = run_command(lambda: export_published(source, folder))
    click.echo(f"{course_id}: {len(written)} files written to {folder}")
