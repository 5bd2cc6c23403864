"""What the other parts of a call's life hook into, without importing each other."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from app.calls.models import Call, CallDecision
from app.core.registry import Hooks


class DecisionHook(Protocol):
    def __call__(self, call: Call, decision: CallDecision, *, now: datetime) -> None: ...


# Run in the signing transaction, after every application has its decided state: the
# letters go out from here.
DECISION_HOOKS: Hooks[DecisionHook] = Hooks("selection decided hooks")
