"""The applicant's confirmation that their application was received: in their language,
with the time on their own clock, and never a word of their travel details."""

from __future__ import annotations

from datetime import datetime

from app.auth.models import User
from app.calls.models import Application, Call
from app.mail.outbox import queue_mail
from app.mail.render import render_mail

RECEIVED_KIND = "applications.received"


def send_received(applicant: User, application: Application, call: Call, now: datetime) -> None:
    rendered = render_mail("applications/received", language=applicant.language,
                           timezone=applicant.timezone, name=applicant.name,
                           call_title=call.title, received_at=now,
                           application_id=application.id, reference=reference(application))
    queue_mail(to=applicant.email, rendered=rendered, kind=RECEIVED_KIND,
               user_id=applicant.id, now=now)


def reference(application: Application) -> str:
    """What the applicant quotes when writing about it: A-000123."""
    return f"A-{application.id:06d}"
