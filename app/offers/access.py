"""Who sees an offer: its applicant, and the call's officers (app/calls/access.py)."""

from __future__ import annotations

from typing import Any

from app.calls.access import may_run_call
from app.calls.models import DECIDED_STATES, Application, Call


def may_see_offer(actor: Any, pair: tuple[Application, Call]) -> bool:
    application, call = pair
    return application.state in DECIDED_STATES and (
        application.applicant_id == actor.id or may_run_call(actor, call))


def may_answer_offer(actor: Any, application: Application) -> bool:
    return application.applicant_id == actor.id
