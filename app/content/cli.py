"""`flask courses validate|import`: courses from Markdown folders into TrainHub."""

from __future__ import annotations

import subprocess
from pathlib import Path

import click
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import inspect, select

from app.content import bp
from app.content.importer import check_against_stored, import_folders
from app.content.loader import load_courses
from app.content.models import Course
from app.content.specs import ContentError, CourseSpec, Problem
from app.core.boundary import run_command
from app.core.time import now
from app.extensions import db

courses_cli = bp.cli
courses_cli.short_help = "Validate and import courses written in Markdown."

DEFAULT_PATH = Path("courses")


def _known_course_ids() -> set[str]:
    """Courses already imported, which prerequisites may name (none if there is no schema)."""
    if not inspect(db.session.connection()).has_table(Course.__tablename__):
        return set()
    return set(db.session.scalars(select(Course.slug)))


def _report(problems: list[Problem]) -> None:
    """Errors (and any warnings beside them): nothing was imported."""
    for problem in sorted(problems):
        click.echo(str(problem), err=True)
    click.echo(_("%(tally)s; nothing was imported.", tally=_tally(problems)), err=True)


def _tally(problems: list[Problem]) -> str:
    """`2 errors and 1 warning in 2 files`, in the reader's language."""
    errors = sum(problem.is_error for problem in problems)
    warnings = len(problems) - errors
    files = ngettext("%(num)d file", "%(num)d files", len({p.path for p in problems}))
    counted_errors = ngettext("%(num)d error", "%(num)d errors", errors)
    counted_warnings = ngettext("%(num)d warning", "%(num)d warnings", warnings)
    if errors and warnings:
        return _("%(errors)s and %(warnings)s in %(files)s", errors=counted_errors,
                 warnings=counted_warnings, files=files)
    return _("%(problems)s in %(files)s", problems=counted_errors if errors
             else counted_warnings, files=files)


def _describe(course: CourseSpec) -> str:
    quizzes = [q for m in course.modules for q in m.quizzes]
    assessments = sum(q.is_assessment for q in quizzes)
    questions = sum(len(q.questions) for q in quizzes)
    checklists = sum(len(m.checklists) for m in course.modules)
    # Translators: a course's contents after "ok", as `flask courses validate` prints them.
    line = _("%(course)s: %(modules)s, %(quizzes)s (%(graded)s graded), %(questions)s, "
             "%(checklists)s", course=course.slug,
             modules=ngettext("%(num)d module", "%(num)d modules", len(course.modules)),
             quizzes=ngettext("%(num)d quiz", "%(num)d quizzes", len(quizzes)),
             graded=assessments,
             questions=ngettext("%(num)d question", "%(num)d questions", questions),
             checklists=ngettext("%(num)d checklist", "%(num)d checklists", checklists))
    if course.version_languages:
        # Translators: after a course's contents, the languages of its versions ("fr, es").
        line += _("; versions in %(languages)s", languages=", ".join(course.version_languages))
    return line


def _paths(paths: tuple[Path, ...]) -> list[Path]:
    return list(paths) or [DEFAULT_PATH]


@courses_cli.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate_command(paths: tuple[Path, ...]) -> None:
    """Check course folders (default: courses/) and report every error and warning."""
    known = _known_course_ids()
    courses, problems = load_courses(_paths(paths), known)
    errors = problems.errors()
    if known and not errors:  # the schema exists: also check against what was imported
        errors = check_against_stored(courses)
    warnings = problems.warnings()
    if errors:
        _report(errors + warnings)
        raise SystemExit(1)
    for warning in warnings:
        click.echo(str(warning), err=True)
    for course in courses:
        click.echo(f"ok  {_describe(course)}")
    if warnings:
        click.echo(_("%(tally)s; warnings do not stop an import.", tally=_tally(warnings)),
                   err=True)


def git_commit(path: Path) -> str | None:
    """The commit the course files come from, when they live in a git checkout."""
    try:
        result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            ["git", "-C", str(path), "rev-parse", "HEAD"],  # noqa: S607 - git from PATH
            capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = result.stdout.strip()
    return commit if result.returncode == 0 and commit else None


@courses_cli.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def import_command(paths: tuple[Path, ...]) -> None:
    """Validate, then import course folders in one transaction: all or nothing."""
    chosen = _paths(paths)
    try:
        summaries = run_command(lambda: import_folders(chosen, now=now(),
                                                       source_commit=git_commit(chosen[0])))
    except ContentError as error:  # every problem of every file, not one domain error
        db.session.rollback()
        _report(error.problems)
        raise SystemExit(1) from None
    warnings = sorted(warning for summary in summaries for warning in summary.warnings)
    for warning in warnings:
        click.echo(str(warning), err=True)
    for summary in summaries:
        click.echo(summary.text())
    if warnings:
        click.echo(_("%(tally)s; imported all the same.", tally=_tally(warnings)), err=True)
