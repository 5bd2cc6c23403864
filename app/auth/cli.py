"""`flask users ...`: account administration from the command line, through the services."""

from __future__ import annotations

import sys
from typing import NoReturn

import click
from sqlalchemy import func, select

from app.auth import bp
from app.auth.demo import create_demo_accounts, demo_box
from app.auth.lockout import configured_limits, unlock_account
from app.auth.models import User
from app.auth.recovery import send_reset_link
from app.auth.reset import reset_password
from app.auth.services import (
    Profile,
    create_account,
    find_user_by_email,
    set_active,
    set_roles,
)
from app.core.boundary import run_command
from app.core.roles import Role
from app.core.time import now
from app.extensions import db

users = bp.cli
users.short_help = "Manage accounts and roles."

ROLE_CHOICE = click.Choice([role.value for role in Role], case_sensitive=False)


def _fail(message: str) -> NoReturn:
    raise click.ClickException(message)


def _user_or_fail(email: str) -> User:
    user = find_user_by_email(email)
    if user is None:
        _fail(f"No account with e-mail {email}.")
    return user


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--role", "roles", multiple=True, type=ROLE_CHOICE,
              help="A role to grant; repeat for several (default: learner).")
@click.option("--country", default=None, help="ISO 3166-1 alpha-2 code, e.g. KR.")
@click.option("--organisation", default="", help="Employer or training centre.")
@click.option("--password-stdin", is_flag=True, required=True,
              help="Read the password from standard input (never from the command line).")
def create_command(email: str, name: str, roles: tuple[str, ...], country: str | None,
                   organisation: str, password_stdin: bool) -> None:
    """Create an account with the given roles."""
    password = sys.stdin.readline().rstrip("\r\n")
    chosen = [Role(role.lower()) for role in roles] or [Role.LEARNER]
    profile = Profile(name=name, country=country.upper() if country else None,
                      organisation=organisation)
    user = run_command(lambda: create_account(email=email, password=password, profile=profile,
                                              roles=chosen, now=now()))
    click.echo(f"Created {user.email} ({', '.join(sorted(user.roles))}).")


@users.command("set-role")
@click.argument("email")
@click.argument("roles", nargs=-1, required=True, type=ROLE_CHOICE)
@click.option("--reason", default="", help="Why; kept in the audit trail.")
def set_role_command(email: str, roles: tuple[str, ...], reason: str) -> None:
    """Give an account exactly these roles (one or more)."""
    user = _user_or_fail(email)
    changed = run_command(lambda: set_roles(None, user, [Role(role.lower()) for role in roles],
                                            now(), reason=reason))
    state = "now has" if changed else "already had"
    click.echo(f"{user.email} {state} roles: {', '.join(sorted(user.roles))}.")


@users.command("deactivate")
@click.argument("email")
@click.option("--reason", required=True, help="Why; kept in the audit trail.")
def deactivate_command(email: str, reason: str) -> None:
    """Deactivate an account (it cannot log in; its records stay)."""
    _set_active(email, False, reason)


@users.command("reactivate")
@click.argument("email")
@click.option("--reason", default="", help="Why; kept in the audit trail.")
def reactivate_command(email: str, reason: str) -> None:
    """Let a deactivated account log in again."""
    _set_active(email, True, reason)


def _set_active(email: str, active: bool, reason: str) -> None:
    user = _user_or_fail(email)
    changed = run_command(lambda: set_active(None, user, active, now(), reason=reason))
    state = "active" if active else "deactivated"
    click.echo(f"{user.email} is {'now' if changed else 'already'} {state}.")


@users.command("unlock")
@click.argument("email")
@click.option("--reason", required=True, help="Why; kept in the audit trail.")
def unlock_command(email: str, reason: str) -> None:
    """Let an account locked by failed log-ins log in again before its lock ends."""
    user = _user_or_fail(email)
    unlocked = run_command(lambda: unlock_account(None, user, configured_limits(), now(),
                                                  reason=reason))
    click.echo(f"{user.email} is {'now unlocked' if unlocked else 'not locked'}.")


@users.command("reset-password")
@click.argument("email")
@click.option("--reason", required=True, help="Why; kept in the audit trail.")
@click.option("--password-stdin", is_flag=True,
              help="Read the new password from standard input instead of generating one.")
@click.option("--prompt", is_flag=True,
              help="Ask for the new password (typed twice, not shown) instead of generating "
                   "one.")
@click.option("--send-link", is_flag=True,
              help="Send the person a link to choose a new password themselves (valid for "
                   "1 hour) instead of setting one; their password stays until they use it.")
def reset_password_command(email: str, reason: str, password_stdin: bool,
                           prompt: bool, send_link: bool) -> None:
    """Set a new password for an account whose password is lost: a random strong one,
    printed once, unless one is given. Ends the account's log-in sessions and lifts a lock
    from failed log-ins. The password is never taken from the command line itself. With
    --send-link, e-mail the person a reset link instead."""
    if password_stdin and prompt:
        _fail("Give --password-stdin or --prompt, not both.")
    if send_link and (password_stdin or prompt):
        _fail("--send-link sets no password: give it without --password-stdin or --prompt.")
    user = _user_or_fail(email)
    if send_link:
        link = run_command(lambda: send_reset_link(None, user, now=now(), reason=reason))
        click.echo(f"A reset link for {user.email} is queued; it works until "
                   f"{link.expires_at:%Y-%m-%d %H:%M} UTC.")
        return
    new: str | None = None
    if password_stdin:
        new = sys.stdin.readline().rstrip("\r\n")
    elif prompt:
        new = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    done = run_command(lambda: reset_password(None, user, new=new, reason=reason,
                                              limits=configured_limits(), now=now()))
    sessions = f"{done.sessions_ended} log-in session{'s' if done.sessions_ended != 1 else ''}"
    click.echo(f"Password of {user.email} reset; {sessions} ended"
               f"{'; the lock from failed log-ins lifted' if done.unlocked else ''}.")
    if not user.active:
        click.echo("The account is deactivated: it cannot log in until it is reactivated.")
    if done.generated:
        click.echo(f"New password (shown this once): {done.password}")


@users.command("list")
def list_command() -> None:
    """List accounts with their roles."""
    for user in db.session.scalars(select(User).order_by(User.email)):
        status = "" if user.active else "  (deactivated)"
        click.echo(f"{user.email}\t{user.name}\t{', '.join(sorted(user.roles))}{status}")


@users.command("create-demo")
def create_demo_command() -> None:
    """On a database with no accounts, create one demo account per role, ready to use, and
    print their passwords once, in a box, last."""
    if db.session.scalar(select(func.count()).select_from(User)):
        click.echo("Accounts exist already: no demo accounts created.")
        return
    demo, notes = run_command(lambda: create_demo_accounts(now()))
    for note in notes:
        click.echo(note)
    click.echo("\n".join(demo_box(demo)))
