"""Panels other features add to the learner's dashboard, without learning knowing them.

Each panel function runs a fixed number of statements (the dashboard's budget counts them)
and returns None when it has nothing to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.auth.models import User


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any]


DashboardPanel = Callable[[User, datetime], Panel | None]
DASHBOARD_PANELS: list[DashboardPanel] = []


def dashboard_panels(user: User, now: datetime) -> list[Panel]:
    return [panel for make in DASHBOARD_PANELS if (panel := make(user, now)) is not None]
