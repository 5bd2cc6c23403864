"""`flask courses export COURSE_ID DIR`: the published revision back to files, for git."""

from __future__ import annotations

from pathlib import Path

import click
from flask_babel import gettext as _
from flask_babel import ngettext

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
        raise click.ClickException(_("no course %(course)s has sources in TrainHub",
                                     course=repr(course_id)))
    written = run_command(lambda: export_published(source, folder))
    click.echo(ngettext("%(course)s: %(num)d file written to %(folder)s",
                        "%(course)s: %(num)d files written to %(folder)s", len(written),
                        course=course_id, folder=folder))
