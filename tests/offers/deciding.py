"""A signed decision made directly, as the selection's signing does: the states, the
CallDecision row, the call decided, and every DECISION_HOOKS entry run (the offers' tests
do not need the selection's pages)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from app.calls.hooks import DECISION_HOOKS
from app.calls.models import Application, CallDecision
from app.extensions import db
from app.records.signatures import sign
from tests.conftest import DEFAULT_PASSWORD


def decide(world: Any, *, accepted: Sequence[Application] = (),
           waitlisted: Sequence[Application] = (), regretted: Sequence[Application] = (),
           now: datetime | None = None, call: Any = None) -> CallDecision:
    call = call or world.call
    now = now or world.clock()
    deadline = now + timedelta(days=call.confirm_days)
    outcomes: list[dict[str, Any]] = []
    for rank, application in enumerate(accepted, start=1):
        application.state, application.respond_by = "accepted", deadline
        outcomes.append({"application_id": application.id, "outcome": "accepted",
                         "rank": rank, "mean": 10.0, "waitlist_rank": None,
                         "overridden": False})
    for place, application in enumerate(waitlisted, start=1):
        application.state, application.waitlist_rank = "waitlisted", place
        outcomes.append({"application_id": application.id, "outcome": "waitlisted",
                         "rank": len(accepted) + place, "mean": 8.0, "waitlist_rank": place,
                         "overridden": False})
    for application in regretted:
        application.state = "regretted"
        outcomes.append({"application_id": application.id, "outcome": "regretted",
                         "rank": None, "mean": 4.0, "waitlist_rank": None,
                         "overridden": False})
    for application in (*accepted, *waitlisted, *regretted):
        application.decided_at = now
    signature = sign(world.officer, password=DEFAULT_PASSWORD, meaning="Selection approved",
                     subject_type="call", subject_id=call.id, content=outcomes, now=now)
    decision = CallDecision(call_id=call.id, outcomes=outcomes,
                            signature_id=signature.id,  # type: ignore[union-attr]
                            decided_at=now, decided_by_id=world.officer.id)
    db.session.add(decision)
    call.status, call.decided_at = "decided", now
    db.session.flush()
    for hook in DECISION_HOOKS.all():
        hook(call, decision, now=now)
    db.session.commit()
    return decision
