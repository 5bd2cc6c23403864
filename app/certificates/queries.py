"""Read-side queries over certificates for other features."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select

from app.certificates.models import Certificate, format_code
from app.extensions import db
from app.records.checks import stream_rows
from app.records.replay import Key, Row


@dataclass(frozen=True)
class CertificateLine:
    course_title: str
    code: str
    revoked_at: datetime | None

    @property
    def display_code(self) -> str:
        return format_code(self.code)


_certificates = Certificate.__table__
# Built once: the dashboard runs it on every view (docs/performance.md).
_MINE = (select(_certificates.c.course_title, _certificates.c.code, _certificates.c.revoked_at)
         .where(_certificates.c.user_id == bindparam("viewer"))
         .order_by(_certificates.c.issued_at.desc()))


def my_certificates(user_id: int) -> list[CertificateLine]:
    """The learner's certificates, newest first, for their dashboard: one statement."""
    return [CertificateLine(course_title=row.course_title, code=row.code,
                            revoked_at=row.revoked_at)
            for row in db.session.execute(_MINE, {"viewer": user_id})]


def certificate_rows() -> Iterator[tuple[Key, Row]]:
    """The records' reader of "certificates": code and revocation."""
    C = Certificate
    for row in stream_rows(select(C.id, C.user_id, C.code, C.revoked_at).order_by(C.id)):
        yield (row.id,), {"id": row.id, "user_id": row.user_id, "code": row.code,
                          "revoked": row.revoked_at is not None}
