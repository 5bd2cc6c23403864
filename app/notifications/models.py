"""In-app notifications and each person's choice of how each kind reaches them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model

# What became of an entry's e-mail: none (its kind is off for the person), queued at once,
# waiting for the morning's digest, or sent in a digest.
MAIL_STATES = ("none", "queued", "digest", "digested")


class Notification(Model):
    """One entry on a person's notifications page, written in their language when it was
    made (a later change of language does not rewrite what they were told)."""

    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint("mail IN ('none', 'queued', 'digest', 'digested')", name="known_mail"),
        Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
        # What the digest job reads: the entries waiting for one.
        Index("ix_notifications_mail_user_id", "mail", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    # A path below the site's root (shown with `site_url`), or "" for nothing to open.
    url: Mapped[str] = mapped_column(String(1000), default="")
    mail: Mapped[str] = mapped_column(String(16), default="none")
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]


class NotificationPreference(Model):
    """A person's choice for one kind; no row: the kind's default."""

    __tablename__ = "notification_preferences"
    __table_args__ = (
        CheckConstraint("mode IN ('immediately', 'digest', 'off')", name="known_mode"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    kind: Mapped[str] = mapped_column(String(64), primary_key=True)
    mode: Mapped[str] = mapped_column(String(16))
    chosen_at: Mapped[datetime]
