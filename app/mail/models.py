"""The outbox: every message, written in the transaction of the change that causes it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model

STATUSES = ("pending", "sending", "sent", "failed")


class OutboxMessage(Model):
    """One e-mail to one recipient, as the MIME bytes that go to the server.

    `pending` waits for `due_at`; `sending` is claimed by one worker until `lease_until`
    (a worker killed mid-send leaves it to be claimed again after that); `sent` and
    `failed` are final. `attempts` counts claims, so a message whose worker died counts
    that try too."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed')",
                        name="known_status"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        # What the claim reads: due pending messages, and sending ones whose lease ran out.
        Index("ix_outbox_messages_status_due_at", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What the message is about, a stable name ("auth.password_reset"), for counts and
    # for the failed-mail notice; never shown as is to the recipient.
    kind: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(320))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    subject: Mapped[str] = mapped_column(String(500))
    sender: Mapped[str] = mapped_column(String(320))
    message: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    due_at: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    # The claimer's random token: only the worker that holds it may settle the message.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
