"""The demo accounts of a fresh install: one per role, made ready by the other features.

`flask users create-demo` (which `make run` calls after importing the shipped courses)
creates them, then runs the hooks that features add in their `init_app`, so that each
account has something to do from its first log-in: learning puts the demo instructor and
assessor on every course's staff. The passwords are generated, printed once, and stored
only as their hash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from app.auth.models import User
from app.auth.passwords import generate_password
from app.auth.services import Profile, create_account
from app.core.registry import Hooks
from app.core.roles import Role

DEMO_ACCOUNTS = (
    ("learner@example.org", "Demo Learner", Role.LEARNER),
    ("instructor@example.org", "Demo Instructor", Role.INSTRUCTOR),
    ("assessor@example.org", "Demo Assessor", Role.ASSESSOR),
    ("admin@example.org", "Demo Administrator", Role.ADMIN),
)


@dataclass(frozen=True)
class DemoAccounts:
    """The demo accounts just created, by role, and their passwords (to print once)."""

    users: Mapping[Role, User]
    passwords: Mapping[Role, str]
    now: datetime


# A feature's preparation of the demo accounts; it returns sentences saying what it did.
DemoHook = Callable[[DemoAccounts], list[str]]
DEMO_ACCOUNT_HOOKS: Hooks[DemoHook] = Hooks("demo account hooks")


def create_demo_accounts(now: datetime) -> tuple[DemoAccounts, list[str]]:
    """Create one demo account per role and let every feature prepare them; flushes."""
    users: dict[Role, User] = {}
    passwords: dict[Role, str] = {}
    for email, name, role in DEMO_ACCOUNTS:
        passwords[role] = generate_password(email=email, name=name)
        users[role] = create_account(
            email=email, password=passwords[role],
            profile=Profile(name=name, country=None, organisation="TrainHub demo"),
            roles=(role,), now=now)
    demo = DemoAccounts(users=users, passwords=passwords, now=now)
    notes = [note for hook in DEMO_ACCOUNT_HOOKS.all() for note in hook(demo)]
    return demo, notes


def demo_box(demo: DemoAccounts) -> list[str]:
    """The demo accounts as the lines of a box drawn in plain ASCII, to stand out from the
    install's output in any terminal."""
    rows = [f"{role.value:<11} {demo.users[role].email:<24} {demo.passwords[role]}"
            for _, _, role in DEMO_ACCOUNTS]
    text = ["Demo accounts: the passwords are shown this once; write them down.", "",
            *rows, "", "Log in at /auth/login. `flask users reset-password EMAIL` sets a",
            "new password for an account whose password is lost."]
    width = max(len(line) for line in text)
    edge = "+" + "-" * (width + 2) + "+"
    return [edge, *(f"| {line:<{width}} |" for line in text), edge]
