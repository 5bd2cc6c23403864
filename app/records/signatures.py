"""Electronic signatures: the signer's password at the moment of signing, bound to the hash
of what is signed, written to the audit chain, shown with name, time and meaning.

Call `sign` before making the change it signs for, in the same transaction. If the password
is wrong, or signing is locked, `sign` records the refusal and returns it (`Refused`) instead
of a signature: the caller makes no change, the request commits as usual so that the refusal
stays in the chain, and the form shows the refusal's error next to the password.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.errors import DomainError, ValidationError
from app.extensions import db
from app.records.models import Event, Signature
from app.records.services import content_hash, record_event


class Signer(Protocol):
    """An account that signs: the accounts feature's user, which checks its own password."""

    id: int
    name: str

    def check_password(self, password: str) -> bool: ...


FAILURES_BEFORE_LOCK = 3
LOCK_PERIOD = timedelta(minutes=15)


class SigningLocked(DomainError):
    """Too many wrong passwords: signing is paused for this account."""


@dataclass(frozen=True)
class Refused:
    """A signature refused, and the refusal recorded in the chain: `error` says why, next to
    its field. Nothing was signed; whatever was to be signed must not change."""

    error: DomainError


def signing_locked_until(signer: Signer, now: datetime) -> datetime | None:
    """When signing opens again, or None if it is open. Signing locks for LOCK_PERIOD after
    the latest of FAILURES_BEFORE_LOCK refusals that came within LOCK_PERIOD of each other;
    an attempt while locked is refused too, and so extends the lock."""
    recent = db.session.scalars(
        select(Event.occurred_at)
        .where(Event.action == "signature.refused", Event.actor_id == signer.id)
        .order_by(Event.seq.desc())
        .limit(FAILURES_BEFORE_LOCK)
    ).all()
    if len(recent) < FAILURES_BEFORE_LOCK or recent[0] - recent[-1] > LOCK_PERIOD:
        return None
    until = recent[0] + LOCK_PERIOD
    return until if now < until else None


def sign(signer: Signer, *, password: str, meaning: str, subject_type: str, subject_id: object,
         content: Any, now: datetime, course_id: int | None = None,
         learner_id: int | None = None) -> Signature | Refused:
    """Sign `content` (any JSON-able value describing the record) with `meaning`, or record
    and return the refusal (wrong password, signing locked)."""
    locked_until = signing_locked_until(signer, now)
    if locked_until is not None:
        record_event("signature.refused", actor=signer, now=now, subject_type=subject_type,
                     subject_id=subject_id, course_id=course_id, learner_id=learner_id,
                     details={"meaning": meaning, "locked": True})
        return Refused(SigningLocked(
            _l("Signing is locked after %(failures)s wrong passwords. Try again in "
               "%(minutes)s minutes.", failures=FAILURES_BEFORE_LOCK,
               minutes=LOCK_PERIOD.seconds // 60), field="password"))
    if not signer.check_password(password):
        record_event("signature.refused", actor=signer, now=now, subject_type=subject_type,
                     subject_id=subject_id, course_id=course_id, learner_id=learner_id,
                     details={"meaning": meaning})
        return Refused(ValidationError(_l("The password is not right: nothing was signed."),
                                       field="password"))
    digest = content_hash(content)
    event = record_event("signature.signed", actor=signer, now=now, subject_type=subject_type,
                         subject_id=subject_id, course_id=course_id, learner_id=learner_id,
                         details={"meaning": meaning, "printed_name": signer.name,
                                  "content_hash": digest})
    signature = Signature(signer_id=signer.id, printed_name=signer.name, signed_at=now,
                          meaning=meaning, subject_type=subject_type,
                          subject_id=str(subject_id), content_hash=digest, event_id=event.id)
    db.session.add(signature)
    db.session.flush()
    return signature
