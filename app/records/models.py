"""The audit chain and electronic signatures.

`events` is append-only: the migration installs triggers that make the database refuse
UPDATE and DELETE on it, and each row carries the link of the one before it: an HMAC under
a key kept outside the database (app/records/keys.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.records.meanings import meaning_shown


class Event(Model):
    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_learner_id_seq", "learner_id", "seq"),
        Index("ix_events_action_seq", "action", "seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Position in the chain: 1, 2, 3, ... with no gaps. A gap is a deleted event.
    seq: Mapped[int] = mapped_column(unique=True)
    occurred_at: Mapped[datetime]
    # Who did it; None for the operator's command line. The name is kept as it was then.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_name: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(64))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"), index=True)
    # The learner whose training record this event belongs to, if any.
    learner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    # The link: HMAC-SHA256 of the content under the key named by `key_id`, or a plain
    # SHA-256 for the events written before the chain was keyed (`key_id` empty).
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_id: Mapped[str] = mapped_column(String(16), default="", server_default="")


class Signature(Model):
    """An electronic signature: who, printed name, when, what it means, and what was signed."""

    __tablename__ = "signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    signer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    printed_name: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime]
    meaning: Mapped[str] = mapped_column(String(200))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), unique=True)

    @property
    def manifestation(self) -> str:
        return manifestation(self.printed_name, self.signed_at, self.meaning)


def manifestation(printed_name: str, signed_at: datetime, meaning: str) -> str:
    """What every view and export of a signed record shows, in the reader's language, the
    meaning included (`meaning` is the words signed, which the audit chain keeps)."""
    return _("Signed by %(name)s on %(date)s at %(time)s UTC: %(meaning)s", name=printed_name,
             date=f"{signed_at:%Y-%m-%d}", time=f"{signed_at:%H:%M}",
             meaning=meaning_shown(meaning))
