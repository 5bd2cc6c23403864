"""Reading back what the offers queued: the outbox's messages with their PDF attachments,
and a PDF's text as a comparison sees it."""

from __future__ import annotations

import email
import email.policy
import io
import unicodedata
from dataclasses import dataclass

from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.mail.models import OutboxMessage


@dataclass(frozen=True)
class Sent:
    kind: str
    recipient: str
    subject: str
    text: str
    pdf_name: str
    pdf: bytes


def plain(text: str) -> str:
    """Arabic's joined forms read back as letters (NFKC), runs of white space as one."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def pdf_text(content: bytes) -> str:
    return plain(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def outbox(kind_prefix: str = "offers.") -> list[Sent]:
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind.startswith(
        kind_prefix)).order_by(OutboxMessage.id)).all()
    sent = []
    for row in rows:
        message = email.message_from_bytes(row.message, policy=email.policy.default)
        [attachment] = list(message.iter_attachments())
        body = message.get_body(("plain",))
        assert body is not None
        sent.append(Sent(row.kind, row.recipient, row.subject, body.get_content(),
                         attachment.get_filename() or "", attachment.get_content()))
    return sent
