"""The intake's schedule on its learners' dashboard: its live sessions and its deadlines, by
day of the intake, on the learner's own clock."""

from __future__ import annotations

from datetime import datetime

from app.auth.models import User
from app.core.zones import local_time
from app.intakes.queries import intake_schedules, my_intakes
from app.learning.panels import Panel


def intake_schedule_panel(user: User, now: datetime) -> Panel | None:
    """One statement for a learner in no intake; three for one in any."""
    intakes = my_intakes(user.id, local_time(now, user.timezone or "UTC").date())
    if not intakes:
        return None
    return Panel("intakes/dashboard_panel.html",
                 {"schedules": intake_schedules(user.id, intakes), "now": now})
