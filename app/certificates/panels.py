"""The certificates panel on the learner's dashboard."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.auth.models import User
from app.certificates.models import Certificate
from app.extensions import db
from app.learning.panels import DASHBOARD_PANELS, Panel


def certificates_panel(user: User, _now: datetime) -> Panel | None:
    certificates = db.session.scalars(select(Certificate).where(
        Certificate.user_id == user.id).order_by(Certificate.issued_at.desc())).all()
    return Panel("certificates/dashboard_panel.html",
                 {"certificates": certificates}) if certificates else None


DASHBOARD_PANELS.append(certificates_panel)
