"""`flask records ...`: verify the audit chain, print its head, hand it over to a new key."""

from __future__ import annotations

import click

from app.core.errors import DomainError
from app.core.time import now
from app.extensions import db
from app.records import bp
from app.records.services import rotate_key, verify_chain

bp.cli.short_help = "Check the audit chain."


@bp.cli.command("verify")
def verify_command() -> None:
    """Walk the audit chain; report the first broken or missing link (exit 1 if any)."""
    result = verify_chain()
    if not result.ok:
        click.echo(f"Audit chain BROKEN after {result.checked} good events: {result.message}",
                   err=True)
        raise SystemExit(1)
    click.echo(f"Audit chain verified: {result.checked} events, head hash {result.last_hash}.")
    if result.unkeyed:
        click.echo(f"{result.unkeyed} of them were written before the chain was keyed and "
                   "were checked as plain SHA-256 (unkeyed).")


@bp.cli.command("rotate-key")
@click.option("--reason", default="", help="Why the key changes (kept in the event).")
def rotate_key_command(reason: str) -> None:
    """Hand the chain over to RECORDS_KEY from the old key, now in RECORDS_OLD_KEYS."""
    try:
        event = rotate_key(now(), reason)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Audit chain handed over from key {event.details['old_key']} to key "
               f"{event.details['new_key']} at event number {event.seq}.")
