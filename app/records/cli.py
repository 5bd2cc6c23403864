"""`flask records verify`: walk the audit chain."""

from __future__ import annotations

import click

from app.records import bp
from app.records.services import verify_chain

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
