"""Mail without a mail server: each message becomes an .eml file in MAIL_FOLDER.

`EmailBackend` is the Flask-Mailman backend used when MAIL_SERVER is unset (config
MAIL_BACKEND = "app.mail.eml"); the rest reads the folder back for the administrator's
page. File names sort as the messages were written: `20260302T090000123456-1a2b3c4d.eml`.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage as ParsedMessage
from pathlib import Path
from typing import Any

from flask import current_app
from flask_mailman.backends.base import BaseEmailBackend

FILE_NAME = re.compile(r"\A\d{8}T\d{12}-[0-9a-f]{8}\.eml\Z")


def mail_folder() -> Path:
    return Path(current_app.config["MAIL_FOLDER"])


class EmailBackend(BaseEmailBackend):
    """Writes each message, as the SMTP server would receive it, to a file of its own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.folder = mail_folder()

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        self.folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}.eml"
            data = message.message().as_bytes(linesep="\r\n")
            # Written aside and renamed, so that the page never lists half a message.
            partial = self.folder / f".{name}.part"
            partial.write_bytes(data)
            os.replace(partial, self.folder / name)
        return len(email_messages)


@dataclass(frozen=True)
class MailFile:
    name: str
    subject: str
    recipient: str
    date: str


@dataclass(frozen=True)
class MailFileContent:
    file: MailFile
    text: str
    html: str
    attachments: tuple[str, ...]


def _parse(path: Path) -> ParsedMessage:
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(parsed, ParsedMessage)
    return parsed


def _summary(name: str, parsed: ParsedMessage) -> MailFile:
    return MailFile(name=name, subject=str(parsed.get("Subject", "")),
                    recipient=str(parsed.get("To", "")), date=str(parsed.get("Date", "")))


def list_mail_files(limit: int = 200) -> list[MailFile]:
    """The newest `limit` messages in the folder, newest first."""
    folder = mail_folder()
    if not folder.is_dir():
        return []
    names = sorted((entry.name for entry in os.scandir(folder)
                    if FILE_NAME.match(entry.name)), reverse=True)[:limit]
    return [_summary(name, _parse(folder / name)) for name in names]


def read_mail_file(name: str) -> MailFileContent | None:
    """One message's text, HTML and attachment names; None for a name that is not one."""
    if not FILE_NAME.match(name):
        return None
    path = mail_folder() / name
    if not path.is_file():
        return None
    parsed = _parse(path)
    text_part = parsed.get_body(preferencelist=("plain",))
    html_part = parsed.get_body(preferencelist=("html",))
    attachments = tuple(part.get_filename() or part.get_content_type()
                        for part in parsed.iter_attachments())
    return MailFileContent(
        file=_summary(name, parsed),
        text=text_part.get_content() if text_part is not None else "",
        html=html_part.get_content() if html_part is not None else "",
        attachments=attachments)
