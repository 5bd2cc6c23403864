"""Reading the accounts' messages out of the outbox in a test: who, what, and the link."""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy import select

from app.extensions import db
from app.mail.models import OutboxMessage

LINK = re.compile(r"https?://\S+/auth/(?:reset|confirm)/[A-Za-z0-9_\-]+")


@dataclass(frozen=True)
class Mail:
    kind: str
    to: str
    subject: str
    text: str
    html: str
    language: str

    @property
    def link(self) -> str:
        [link] = set(LINK.findall(self.text))
        return link

    @property
    def token(self) -> str:
        return self.link.rsplit("/", 1)[1]

    @property
    def path(self) -> str:
        return "/auth/" + self.link.split("/auth/", 1)[1]


def read(data: bytes) -> Mail:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return Mail(kind="", to=str(message["To"]), subject=str(message["Subject"]),
                text=text.get_content(), html=html.get_content(),
                language=str(message["Content-Language"]))


def outbox() -> list[Mail]:
    """Every queued message, oldest first."""
    rows = db.session.execute(select(OutboxMessage.kind, OutboxMessage.message)
                              .order_by(OutboxMessage.id)).all()
    mails = []
    for row in rows:
        mail = read(row.message)
        mails.append(Mail(row.kind, mail.to, mail.subject, mail.text, mail.html,
                          mail.language))
    return mails
