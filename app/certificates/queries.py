"""Read-side queries over certificates for other features."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from app.certificates.models import Certificate
from app.records.checks import stream_rows
from app.records.replay import Key, Row


def certificate_rows() -> Iterator[tuple[Key, Row]]:
    """The records' reader of "certificates": code and revocation."""
    C = Certificate
    for row in stream_rows(select(C.id, C.user_id, C.code, C.revoked_at).order_by(C.id)):
        yield (row.id,), {"id": row.id, "user_id": row.user_id, "code": row.code,
                          "revoked": row.revoked_at is not None}
