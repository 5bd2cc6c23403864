"""The certificates panel on the learner's dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select

from app.auth.models import User
from app.certificates.models import Certificate, format_code
from app.extensions import db
from app.learning.panels import Panel


@dataclass(frozen=True)
class CertificateLine:
    course_title: str
    code: str
    revoked_at: datetime | None

    @property
    def display_code(self) -> str:
        return format_code(self.code)


_certificates = Certificate.__table__
# Built once: the dashboard runs it on every view.
_MINE = (select(_certificates.c.course_title, _certificates.c.code, _certificates.c.revoked_at)
         .where(_certificates.c.user_id == bindparam("viewer"))
         .order_by(_certificates.c.issued_at.desc()))


def certificates_panel(user: User, _now: datetime) -> Panel | None:
    lines = [CertificateLine(*row) for row in db.session.execute(_MINE, {"viewer": user.id})]
    return Panel("certificates/dashboard_panel.html",
                 {"certificates": lines}) if lines else None
