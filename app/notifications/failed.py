"""Administrators hear of a message the outbox gave up on (part of the mail feature's
`MAIL_FAILED` hooks), in the worker's transaction that marks it failed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.auth.models import User, UserRole
from app.core.roles import Role
from app.extensions import db
from app.mail.outbox import FailedMail
from app.notifications.services import Link, notify_all

KIND = "mail.failed"


def tell_administrators(failure: FailedMail, now: datetime) -> None:
    if failure.kind == KIND:
        return  # a notice of a failed notice would only fail again, and again
    admins = db.session.scalars(select(User).join(UserRole).where(
        UserRole.role == Role.ADMIN.value, User.active.is_(True)).order_by(User.id)).all()
    notify_all(admins, KIND, template="notifications/mail_failed",
               context={"failure": failure}, url=Link.to("mail.outbox"), now=now)
