"""Quiz jobs: finish overdue attempts every minute, without the operator's timer."""

from __future__ import annotations

from datetime import datetime

from app.core.boundary import run_command
from app.jobs import periodic
from app.quizzes.services import finish_overdue_attempts


@periodic("quizzes.finish_overdue", minute="*")
def finish_overdue(now: datetime) -> int:
    """What `flask quizzes finish-overdue` does, through the same boundary."""
    return run_command(lambda: finish_overdue_attempts(now))
