"""The committee's changes to a selection: an override of the proposal for one application
(with its reason), taking an override back, and the signed decision that gives every
application its outcome. Each flushes, never commits, and writes its audit event.

Overrides: the latest of an application counts, and none is ever deleted. Taking an
override back adds one more, to "proposal", after which the proposal decides again; the
audit event names the override taken back.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.calls.hooks import DECISION_HOOKS
from app.calls.models import Application, Call, CallDecision, SelectionOverride
from app.calls.rules import call_phase
from app.core.errors import DomainError, NotFound, ValidationError, refuse_all
from app.extensions import db
from app.records.services import record_event
from app.records.signatures import Refused, sign
from app.selection.board import Board, read_board
from app.selection.final import BACK_TO_PROPOSAL, OUTCOMES
from app.selection.queries import BOARD_STATES

MEANING_APPROVED = "Selection approved"


class SelectionClosed(DomainError):
    """The selection cannot change (decided), or cannot be decided (not closed yet)."""


def board_application(call: Call, application_id: int) -> Application:
    """An application on the call's board, or NotFound (another call's, a draft, withdrawn)."""
    application = db.session.get(Application, application_id)
    if application is None or application.call_id != call.id \
            or application.state not in BOARD_STATES:
        raise NotFound(_l("This application is not on the call's board."))
    return application


def _refuse_when_decided(call: Call) -> None:
    if call.status == "decided":
        raise SelectionClosed(_l("The selection is signed: it cannot change any more."))


def override_selection(actor: User, call: Call, application: Application, *, outcome: str,
                       reason: str, now: datetime) -> SelectionOverride:
    """Put one application on `outcome` whatever the proposal says, with the reason."""
    _refuse_when_decided(call)
    reason = reason.strip()
    errors = []
    if outcome not in OUTCOMES:
        errors.append(ValidationError(_l("Choose accept, waitlist or regret."), field="outcome"))
    if not reason:
        errors.append(ValidationError(_l("Give the committee's reason."), field="reason"))
    refuse_all(errors)
    row = read_board(call).row(application.id)
    override = SelectionOverride(application_id=application.id, outcome=outcome,
                                 reason=reason, made_at=now, made_by_id=actor.id)
    db.session.add(override)
    db.session.flush()
    record_event("selection.overridden", actor=actor, now=now, subject_type="application",
                 subject_id=application.id, reason=reason, details={
                     "call_id": call.id, "outcome": outcome, "override_id": override.id,
                     "proposed": row.placement.proposed if row else None})
    return override


def remove_override(actor: User, call: Call, application: Application, *, now: datetime
                    ) -> SelectionOverride:
    """Back to the proposal for one application: an override to "proposal", after the one
    it takes back, which stays on record."""
    _refuse_when_decided(call)
    latest = db.session.scalars(select(SelectionOverride).where(
        SelectionOverride.application_id == application.id)
        .order_by(SelectionOverride.id.desc()).limit(1)).first()
    if latest is None or latest.outcome == BACK_TO_PROPOSAL:
        raise DomainError(_l("This application has no override."))
    back = SelectionOverride(application_id=application.id, outcome=BACK_TO_PROPOSAL,
                             reason="", made_at=now, made_by_id=actor.id)
    db.session.add(back)
    db.session.flush()
    record_event("selection.overridden", actor=actor, now=now, subject_type="application",
                 subject_id=application.id, reason="override removed", details={
                     "call_id": call.id, "outcome": None, "override_id": back.id,
                     "removed": {"id": latest.id, "outcome": latest.outcome,
                                 "reason": latest.reason}})
    return back


def decision_outcomes(board: Board) -> list[dict[str, Any]]:
    """The full list as it is signed and kept: one entry per application, in rank order."""
    return [{"application_id": row.application_id, "outcome": row.placement.outcome,
             "rank": row.placement.rank,
             "mean": None if row.scores.mean is None else round(row.scores.mean, 2),
             "waitlist_rank": row.placement.waitlist_rank,
             "overridden": row.placement.overridden} for row in board.rows]


def may_decide(call: Call, now: datetime) -> bool:
    return call_phase(call.status, call.opens_at, call.closes_at, now) == "closed"


def decide_selection(actor: User, call: Call, *, password: str, now: datetime
                     ) -> CallDecision | Refused:
    """Sign the final list with "Selection approved" and give every application on the
    board its outcome; a refused signature is recorded and returned, and changes nothing."""
    # Two officers signing at once: the second waits here, then reads the call decided.
    db.session.refresh(call, with_for_update=True)
    if call.status == "decided" or db.session.scalar(
            select(CallDecision.id).where(CallDecision.call_id == call.id)) is not None:
        raise SelectionClosed(_l("The selection is signed already: a call is decided once."))
    if not may_decide(call, now):
        raise SelectionClosed(_l("The selection can be decided once the call has closed."))
    board = read_board(call)
    if not board.rows:
        raise SelectionClosed(_l("No application was submitted: there is nothing to decide."))
    outcomes = decision_outcomes(board)
    signature = sign(actor, password=password, meaning=MEANING_APPROVED, subject_type="call",
                     subject_id=call.id, content={"call_id": call.id, "outcomes": outcomes},
                     now=now)
    if isinstance(signature, Refused):
        return signature
    decision = CallDecision(call_id=call.id, outcomes=outcomes, signature_id=signature.id,
                            decided_at=now, decided_by_id=actor.id)
    db.session.add(decision)
    _give_outcomes(call, outcomes, now)
    call.status, call.decided_at = "decided", now
    db.session.flush()
    record_event("selection.decided", actor=actor, now=now, subject_type="call",
                 subject_id=call.id, details={
                     "signature_id": signature.id, "places": call.places,
                     "accepted": board.counts["accepted"],
                     "waitlisted": board.counts["waitlisted"],
                     "regretted": board.counts["regretted"], "outcomes": outcomes})
    for hook in DECISION_HOOKS.all():
        hook(call, decision, now=now)
    return decision


def _give_outcomes(call: Call, outcomes: list[dict[str, Any]], now: datetime) -> None:
    by_id = {entry["application_id"]: entry for entry in outcomes}
    respond_by = now + timedelta(days=call.confirm_days)
    for application in db.session.scalars(select(Application).where(
            Application.call_id == call.id, Application.state == "submitted")):
        entry = by_id.get(application.id)
        if entry is None:
            continue
        application.state, application.decided_at = entry["outcome"], now
        application.waitlist_rank = entry["waitlist_rank"]
        application.respond_by = respond_by if entry["outcome"] == "accepted" else None
