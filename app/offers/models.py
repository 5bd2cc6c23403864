"""Which decision letters went out: one row per application and kind of letter, written in
the transaction that queued the mail. The letters job sends what has no row yet, so a
letter is queued exactly once whichever worker (or node) runs it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model

LETTER_KINDS = ("acceptance", "waitlist", "regret")


class OfferLetter(Model):
    __tablename__ = "offer_letters"
    __table_args__ = (
        CheckConstraint("kind IN ('acceptance', 'waitlist', 'regret')", name="known_kind"),
    )

    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    queued_at: Mapped[datetime]
    outbox_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id"))
