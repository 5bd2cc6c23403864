"""`flask records ...`: verify the audit chain, print its head, hand it over to a new key."""

from __future__ import annotations

import click

from app.core.boundary import run_command
from app.core.time import now
from app.extensions import db
from app.records import bp
from app.records.checks import (
    anchor_lines_after,
    chain_head,
    check_anchor,
    check_head,
    parse_head,
    reconcile_records,
)
from app.records.replay import BOOKS
from app.records.services import ChainKeyMissing, rotate_key, verify_chain
from app.records.setup import anchor_target

bp.cli.short_help = "Check the audit chain."


def _head(_context: click.Context, _param: click.Parameter,
          value: str | None) -> tuple[int, str] | None:
    try:
        return parse_head(value) if value else None
    except ValueError as error:
        raise click.BadParameter(str(error)) from error


@bp.cli.command("verify")
@click.option("--expect-head", "expected", metavar="SEQ:HASH", callback=_head,
              help="A head printed earlier by `records anchor`: it must still be there.")
def verify_command(expected: tuple[int, str] | None) -> None:
    """Check the audit chain's links, its anchor, an expected head, and the records against
    the events; exit 1 on any problem, after reporting all of them."""
    failed = False
    _one_snapshot()
    result = verify_chain()
    if result.ok:
        click.echo(f"Audit chain verified: {result.checked} events, head hash "
                   f"{result.last_hash}.")
        if result.unkeyed:
            click.echo(f"{result.unkeyed} of them were written before the chain was keyed "
                       "and were checked as plain SHA-256 (unkeyed).")
    else:
        failed = True
        click.echo(f"Audit chain BROKEN after {result.checked} good events: {result.message}",
                   err=True)
    report = check_anchor(anchor_target())
    if report.ok:
        for line in anchor_lines_after(report):
            click.echo(line)
    else:
        failed = True
        click.echo(f"Anchor MISMATCH ({report.description}):", err=True)
        for problem in report.problems:
            click.echo(f"  {problem}", err=True)
        if report.more_problems:
            click.echo(f"  and {report.more_problems} more", err=True)
    if expected is not None:
        missing = check_head(*expected)
        if missing is None:
            click.echo(f"Expected head {expected[0]}:{expected[1]} is in the chain.")
        else:
            failed = True
            click.echo(f"Expected head NOT FOUND: {missing}", err=True)
    differences = 0
    for difference in reconcile_records():
        if not differences:
            click.echo("Records NOT RECONCILED with the events:", err=True)
        differences += 1
        click.echo(f"  {difference}", err=True)
    if differences:
        failed = True
        rows = "1 row differs" if differences == 1 else f"{differences} rows differ"
        click.echo(f"{rows} from what the events say.", err=True)
    else:
        tables = ", ".join(book.table for book in BOOKS)
        click.echo(f"Records reconciled with the events: {tables}; no differences.")
    if failed:
        raise SystemExit(1)


def _one_snapshot() -> None:
    """Read the chain, the anchor's rows and every table as of one moment, so that a commit
    made while verify runs cannot look like a difference (SQLite's command-line transaction
    holds the write lock already)."""
    if db.session.get_bind().dialect.name == "postgresql" and not db.session().in_transaction():
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


@bp.cli.command("anchor")
def anchor_command() -> None:
    """Print the chain's head as SEQ:HASH, for an inspector to keep outside the system."""
    head = chain_head()
    if head is None:
        raise click.ClickException("The audit chain is empty: there is no head to keep.")
    click.echo(f"{head[0]}:{head[1]}")


@bp.cli.command("rotate-key")
@click.option("--reason", default="", help="Why the key changes (kept in the event).")
def rotate_key_command(reason: str) -> None:
    """Hand the chain over to RECORDS_KEY from the old key, now in RECORDS_OLD_KEYS."""
    try:
        event = run_command(lambda: rotate_key(now(), reason))
    except ChainKeyMissing as error:  # not a domain error: the configuration lacks a key
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    click.echo(f"Audit chain handed over from key {event.details['old_key']} to key "
               f"{event.details['new_key']} at event number {event.seq}.")
