"""The certificates panel on the learner's dashboard."""

from __future__ import annotations

from datetime import datetime

from app.auth.models import User
from app.certificates.queries import my_certificates
from app.learning.panels import Panel


def certificates_panel(user: User, _now: datetime) -> Panel | None:
    lines = my_certificates(user.id)
    return Panel("certificates/dashboard_panel.html",
                 {"certificates": lines}) if lines else None
