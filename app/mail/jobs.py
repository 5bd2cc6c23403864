"""The outbox's job: send what is due, every minute and right after a commit that queued."""

from __future__ import annotations

from datetime import datetime

from app.jobs import enqueue, periodic
from app.mail.outbox import SendReport, send_due


@periodic("mail.send_outbox", minute="*")
def send_outbox(now: datetime) -> SendReport:
    return send_due(now)


def send_outbox_soon() -> None:
    """After a commit that queued mail: a worker sends it within seconds, not a minute."""
    enqueue(send_outbox.name)
