"""The messages accounts send: rendered for their recipient and queued in the outbox, in
the transaction of the change that causes them (`app.mail`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.auth.links import IssuedLink
from app.auth.models import User
from app.mail.outbox import queue_mail
from app.mail.render import RenderedMail, render_mail

# Outbox kinds: security messages, which no preference turns off.
RESET_KIND = "account.password_reset"
VERIFY_KIND = "account.verify_email"


def render_account_mail(template: str, user: User, link: IssuedLink, *,
                        language: str | None, **context: Any) -> RenderedMail:
    """`mail/<template>` for `user`: in their language (else `language`, the page's they
    asked from), dates on their clock, with the link's token and expiry."""
    return render_mail(template, language=user.language or language, timezone=user.timezone,
                       name=user.name, email=user.email, token=link.token,
                       expires_at=link.expires_at, **context)


def queue_account_mail(template: str, kind: str, user: User, link: IssuedLink, *,
                       now: datetime, language: str | None = None, **context: Any) -> None:
    rendered = render_account_mail(template, user, link, language=language, **context)
    queue_mail(to=user.email, rendered=rendered, kind=kind, user_id=user.id, now=now)
