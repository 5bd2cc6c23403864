"""A learner's classroom messages as the tests read them: the notices queued for them, each
message's calendar file, and the kinds of in-app notifications they were sent."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage

from icalendar import Calendar
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.mail.models import OutboxMessage
from app.notifications.models import Notification


def queued_mails(user: User) -> list[EmailMessage]:
    """The messages queued for `user`, oldest first."""
    rows = db.session.scalars(select(OutboxMessage.message).where(
        OutboxMessage.user_id == user.id).order_by(OutboxMessage.id)).all()
    messages = [email.message_from_bytes(row, policy=email.policy.default) for row in rows]
    assert all(isinstance(message, EmailMessage) for message in messages)
    return messages


def calendar_file(message: EmailMessage) -> Calendar:
    """The message's one calendar file, which must have a name (a mail client shows it)."""
    [part] = [part for part in message.iter_attachments()
              if part.get_content_type() == "text/calendar"]
    assert part.get_filename(), "the calendar file has a name"
    body = part.get_payload(decode=True)
    assert isinstance(body, bytes)
    return Calendar.from_ical(body)


def notice_kinds(user: User) -> list[str]:
    """The kinds of the notifications `user` was sent, oldest first."""
    return list(db.session.scalars(select(Notification.kind).where(
        Notification.user_id == user.id).order_by(Notification.id)))
