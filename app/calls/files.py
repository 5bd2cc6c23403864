"""How an application's document leaves the server: as a download, never shown inline, in
the one place that sets its headers (the applying and reviewing pages both serve them)."""

from __future__ import annotations

import re

from flask import Response
from sqlalchemy import select
from sqlalchemy.orm import undefer

from app.calls.models import ApplicationFile
from app.core.headers import NO_STORE
from app.extensions import db

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def download_name(filename: str) -> str:
    """A name safe in a header: letters, digits, dot, dash and underscore, ending in .pdf."""
    stem = _UNSAFE.sub("-", filename.rsplit("/", 1)[-1]).strip("-.") or "document"
    stem = stem[:-4] if stem.lower().endswith(".pdf") else stem
    return f"{stem[:80]}.pdf"


def load_file(application_id: int, field_key: str) -> ApplicationFile | None:
    """The stored document of one file field, with its content."""
    return db.session.scalar(select(ApplicationFile).options(undefer(ApplicationFile.content))
                             .where(ApplicationFile.application_id == application_id,
                                    ApplicationFile.field_key == field_key))


def file_response(file: ApplicationFile) -> Response:
    """The document as an attachment: PDF, not sniffed, not stored by any cache."""
    return Response(file.content, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{download_name(file.filename)}"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": NO_STORE,
        "Content-Length": str(file.size),
    })
