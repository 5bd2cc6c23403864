"""The audit chain: append an event, verify the chain, hand it over to a new key.

Feature services call `record_event` inside the transaction that makes the change, so the
change and its event are committed together or not at all. Appends are serialized (an
advisory lock on PostgreSQL; on SQLite the write transaction already holds the database's
write lock from BEGIN IMMEDIATE), so the chain stays one line under concurrent writers, and
the unique `seq` makes a fork impossible even if something bypassed that.

Each link is an HMAC under the records key (app/records/keys.py), which is not in the
database: whoever rewrites events cannot seal them again without it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from flask import current_app
from sqlalchemy import select, text

from app.core.db import in_transaction
from app.core.errors import DomainError
from app.extensions import db
from app.records.actions import ACTIONS
from app.records.keys import UNKEYED, Keyring, seal
from app.records.models import Event
from app.records.queries import LAST_LINK

GENESIS_HASH = "0" * 64
# Any constant works: it names the lock that all appends to the chain take in PostgreSQL.
CHAIN_LOCK_KEY = 7_203_114_011
COMMAND_LINE = "command line"
# Where a session keeps the newest (seq, link) its transaction appended, until it commits.
ANCHOR_PENDING = "records.anchor_pending"
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


def event_content(event: Event) -> str:
    """Everything the event says, and the link of the event before it, in one spelling."""
    return canonical_json({
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


def event_hash(event: Event) -> str:
    """The unkeyed link of the events written before the chain was keyed: plain SHA-256."""
    return hashlib.sha256(event_content(event).encode()).hexdigest()


def event_link(event: Event, key: bytes) -> str:
    return seal(key, event_content(event))


def keyring() -> Keyring:
    """This app's records keys (built once, when the records feature is set up)."""
    ring: Keyring = current_app.extensions["records.keyring"]
    return ring


class ChainKeyMissing(RuntimeError):
    """The chain's newest event is sealed with a key this process does not hold: a
    misconfigured or outdated process, which must not write (a server error, logged)."""


def _lock_chain() -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        if not in_transaction():
            # The lock would end with this statement, and the change would not be atomic.
            raise RuntimeError("an audit event needs a write transaction: a safe request "
                               "that writes calls core.db.begin_write() first")
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})


@dataclass(frozen=True)
class _Link:
    seq: int
    hash: str
    key_id: str


def _chain_end(ring: Keyring, now: datetime) -> _Link | None:
    """The chain's newest link, after handing the chain over to the current key if the
    newest event was sealed with an older one (the first append after a rotation)."""
    _lock_chain()
    row = db.session.execute(LAST_LINK).first()
    if row is None:
        return None
    last = _Link(row.seq, row.hash, row.key_id)
    if last.key_id in (UNKEYED, ring.current_id):
        return last
    event = _hand_over(last, ring, now, actor=None, automatic=True)
    return _Link(event.seq, event.hash, event.key_id)


def _append(last: _Link | None, ring: Keyring, action: str, *, actor: Actor | None,
            now: datetime, subject_type: str, subject_id: object, course_id: int | None,
            learner_id: int | None, details: dict[str, Any] | None, reason: str,
            automatic: bool) -> Event:
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
        key_id=ring.current_id,
    )
    event.hash = event_link(event, ring.current)
    db.session.add(event)
    db.session.flush()
    # The newest link of the transaction, for the anchor line its commit writes (setup.py).
    db.session.info[ANCHOR_PENDING] = (event.seq, event.hash)
    return event


def record_event(action: str, *, actor: Actor | None, now: datetime, subject_type: str,
                 subject_id: object, course_id: int | None = None,
                 learner_id: int | None = None, details: dict[str, Any] | None = None,
                 reason: str = "", automatic: bool = False) -> Event:
    """Append one event to the chain, in the caller's transaction. `actor` None is the CLI,
    or with `automatic` TrainHub itself acting on a rule (a waitlist promotion)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}: add it to app/records/actions.py")
    ring = keyring()
    last = _chain_end(ring, now)
    return _append(last, ring, action, actor=actor, now=now, subject_type=subject_type,
                   subject_id=subject_id, course_id=course_id, learner_id=learner_id,
                   details=details, reason=reason, automatic=automatic)


def hand_over_seal(old_key: bytes, head_seq: int, head_hash: str, new_key_id: str) -> str:
    """The old key's word that the chain up to this head passes to the new key."""
    return seal(old_key, canonical_json({"seq": head_seq, "hash": head_hash,
                                         "new_key": new_key_id}))


def _hand_over(last: _Link, ring: Keyring, now: datetime, *, actor: Actor | None,
               automatic: bool, reason: str = "") -> Event:
    old_key = ring.get(last.key_id)
    if old_key is None:
        raise ChainKeyMissing(
            f"The audit chain's newest event (number {last.seq}) is sealed with key "
            f"{last.key_id}, which this process does not hold. If the chain moved to a new "
            "key, restart this process with the current RECORDS_KEY; to rotate to this "
            "process's key, add the old key to RECORDS_OLD_KEYS.")
    return _append(last, ring, "records.key_rotated", actor=actor, now=now,
                    subject_type="audit_chain", subject_id=last.seq, course_id=None,
                    learner_id=None, reason=reason, automatic=automatic, details={
                        "old_key": last.key_id, "new_key": ring.current_id,
                        "head": {"seq": last.seq, "hash": last.hash},
                        "old_key_seal": hand_over_seal(old_key, last.seq, last.hash,
                                                       ring.current_id)})


def rotate_key(now: datetime, reason: str = "") -> Event:
    """Hand the chain over from the key of its newest event (now in RECORDS_OLD_KEYS) to
    RECORDS_KEY, with a `records.key_rotated` event sealed by both (the command line)."""
    ring = keyring()
    _lock_chain()
    row = db.session.execute(LAST_LINK).first()
    if row is None or row.key_id == UNKEYED:
        raise DomainError("The chain's newest event is not sealed with a key yet: the next "
                          "event is sealed with RECORDS_KEY, there is nothing to hand over.")
    if row.key_id == ring.current_id:
        raise DomainError(f"RECORDS_KEY (key {ring.current_id}) seals the chain already. Set "
                          "RECORDS_KEY to the new key and add the current one to "
                          "RECORDS_OLD_KEYS, then run this again.")
    return _hand_over(_Link(row.seq, row.hash, row.key_id), ring, now, actor=None,
                      automatic=False, reason=reason)


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    last_hash: str
    broken_event_id: int | None = None
    message: str = ""
    # Events written before the chain was keyed, checked as plain SHA-256.
    unkeyed: int = 0


def verify_chain(ring: Keyring | None = None) -> Verification:
    """Walk the chain from the first event; report the first broken or missing link."""
    # populate_existing: compare what the database holds now, not objects this session
    # loaded earlier. The result is closed on every path: it is a server-side cursor.
    statement = select(Event).order_by(Event.seq).execution_options(
        yield_per=1000, populate_existing=True)
    with closing(db.session.scalars(statement)) as events:
        return _walk(events, ring or keyring())


def _problem(event: Event, ring: Keyring, sealed_with: str | None, previous: str) -> str | None:
    """What is wrong with this event's own link, given the key of the event before it."""
    if event.key_id == UNKEYED:
        if sealed_with is not None:
            return "it is not sealed with a key, but events before it are (a downgrade)"
        return None if event_hash(event) == event.hash else \
            "its content does not match its hash (altered)"
    key = ring.get(event.key_id)
    if key is None:
        return (f"it is sealed with key {event.key_id}, which is neither RECORDS_KEY nor in "
                "RECORDS_OLD_KEYS")
    if event_link(event, key) != event.hash:
        return "its content does not match its hash (altered)"
    if sealed_with is None or sealed_with == event.key_id:
        return None
    if event.action != "records.key_rotated":
        return "its key changed without a records.key_rotated event"
    old_key = ring.get(sealed_with)
    details = event.details
    if (old_key is None or details.get("old_key") != sealed_with
            or details.get("new_key") != event.key_id
            or details.get("head") != {"seq": event.seq - 1, "hash": previous}
            or details.get("old_key_seal") != hand_over_seal(old_key, event.seq - 1, previous,
                                                             event.key_id)):
        return "its key hand-over is not sealed by the old key"
    return None


def _walk(events: Iterable[Event], ring: Keyring) -> Verification:
    expected_seq, previous, checked, unkeyed = 1, GENESIS_HASH, 0, 0
    sealed_with: str | None = None  # the key of the keyed events so far
    for event in events:
        problem = None
        if event.seq != expected_seq:
            problem = (f"events {expected_seq} to {event.seq - 1} of the chain are missing"
                       if event.seq > expected_seq else f"event number {event.seq} is repeated")
        elif event.prev_hash != previous:
            problem = "it does not link to the event before it (reordered or replaced)"
        else:
            problem = _problem(event, ring, sealed_with, previous)
        if problem:
            return Verification(False, checked, previous, event.id,
                                f"event {event.id} (number {event.seq}): {problem}",
                                unkeyed)
        checked += 1
        if event.key_id == UNKEYED:
            unkeyed += 1
        else:
            sealed_with = event.key_id
        expected_seq, previous = event.seq + 1, event.hash
    return Verification(True, checked, previous, unkeyed=unkeyed)
