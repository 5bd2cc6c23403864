"""The audit chain: append an event, verify the chain.

Feature services call `record_event` inside the transaction that makes the change, so the
change and its event are committed together or not at all. Appends are serialized (an
advisory lock on PostgreSQL; on SQLite the write transaction already holds the database's
write lock from BEGIN IMMEDIATE), so the chain stays one line under concurrent writers, and
the unique `seq` makes a fork impossible even if something bypassed that.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import select, text

from app.core.db import in_transaction
from app.extensions import db
from app.records.actions import ACTIONS
from app.records.models import Event

GENESIS_HASH = "0" * 64
# Any constant works: it names the lock that all appends to the chain take in PostgreSQL.
CHAIN_LOCK_KEY = 7_203_114_011
COMMAND_LINE = "command line"
AUTOMATIC = "TrainHub (automatic)"


class Actor(Protocol):
    id: int
    name: str


def canonical_json(value: Any) -> str:
    """One spelling for one value: sorted keys, no spaces, UTF-8, UTC times in ISO form."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    raise TypeError(f"{type(value).__name__} is not allowed in an audit event")


def content_hash(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


def event_hash(event: Event) -> str:
    """SHA-256 over everything the event says, and the hash of the event before it."""
    return content_hash({
        "seq": event.seq,
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "course_id": event.course_id,
        "learner_id": event.learner_id,
        "details": event.details,
        "reason": event.reason,
        "prev_hash": event.prev_hash,
    })


def _lock_chain() -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        if not in_transaction():
            # The lock would end with this statement, and the change would not be atomic.
            raise RuntimeError("an audit event needs a write transaction: a safe request "
                               "that writes calls core.db.begin_write() first")
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})


# Every change runs it: built once. The chain's end is the highest seq (a unique index).
_LAST_LINK = select(Event.__table__.c.seq, Event.__table__.c.hash).order_by(
    Event.__table__.c.seq.desc()).limit(1)


def record_event(action: str, *, actor: Actor | None, now: datetime, subject_type: str,
                 subject_id: object, course_id: int | None = None,
                 learner_id: int | None = None, details: dict[str, Any] | None = None,
                 reason: str = "", automatic: bool = False) -> Event:
    """Append one event to the chain, in the caller's transaction. `actor` None is the CLI,
    or with `automatic` TrainHub itself acting on a rule (a waitlist promotion)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}: add it to app/records/actions.py")
    _lock_chain()
    last = db.session.execute(_LAST_LINK).first()
    event = Event(
        seq=(last.seq + 1) if last else 1,
        occurred_at=now.astimezone(UTC),
        actor_id=actor.id if actor else None,
        actor_name=actor.name if actor else AUTOMATIC if automatic else COMMAND_LINE,
        action=action, subject_type=subject_type, subject_id=str(subject_id),
        course_id=course_id, learner_id=learner_id,
        details=json.loads(canonical_json(details or {})),
        reason=reason.strip(),
        prev_hash=last.hash if last else GENESIS_HASH,
    )
    event.hash = event_hash(event)
    db.session.add(event)
    db.session.flush()
    return event


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    last_hash: str
    broken_event_id: int | None = None
    message: str = ""


def verify_chain() -> Verification:
    """Walk the chain from the first event; report the first broken or missing link."""
    # populate_existing: compare what the database holds now, not objects this session
    # loaded earlier. The result is closed on every path: it is a server-side cursor.
    statement = select(Event).order_by(Event.seq).execution_options(
        yield_per=1000, populate_existing=True)
    with closing(db.session.scalars(statement)) as events:
        return _walk(events)


def _walk(events: Iterable[Event]) -> Verification:
    expected_seq, previous, checked = 1, GENESIS_HASH, 0
    for event in events:
        problem = None
        if event.seq != expected_seq:
            problem = (f"events {expected_seq} to {event.seq - 1} of the chain are missing"
                       if event.seq > expected_seq else f"event number {event.seq} is repeated")
        elif event.prev_hash != previous:
            problem = "it does not link to the event before it (reordered or replaced)"
        elif event_hash(event) != event.hash:
            problem = "its content does not match its hash (altered)"
        if problem:
            return Verification(False, checked, previous, event.id,
                                f"event {event.id} (number {event.seq}): {problem}")
        checked += 1
        expected_seq, previous = event.seq + 1, event.hash
    return Verification(True, checked, previous)
