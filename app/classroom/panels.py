"""The classroom's panel on the learner's dashboard: upcoming live sessions."""

from __future__ import annotations

from datetime import datetime

from app.auth.models import User
from app.classroom.queries import dashboard_upcoming
from app.learning.panels import Panel


def upcoming_sessions_panel(user: User, now: datetime) -> Panel | None:
    lines = dashboard_upcoming(user, now)
    return Panel("classroom/dashboard_panel.html", {"lines": lines}) if lines else None
