"""Panels other features add to learning's pages, without learning knowing them: the
learner's dashboard, and the slots of a lesson (a quiz where its fence was). Each feature
adds its panels in its own init_app.

Each panel function runs a fixed number of statements (the pages' budgets count them)
and returns nothing when it has nothing to show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.auth.models import User
from app.core.registry import Hooks
from app.learning.outline import ModuleInfo


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any]


DashboardPanel = Callable[[User, datetime], Panel | None]
DASHBOARD_PANELS: Hooks[DashboardPanel] = Hooks("dashboard panels")


def dashboard_panels(user: User, now: datetime) -> list[Panel]:
    return [panel for make in DASHBOARD_PANELS.all() if (panel := make(user, now)) is not None]


@dataclass(frozen=True)
class SlotPanel:
    """What fills one slot of a lesson: `template`, rendered with `panel` in its context."""

    template: str
    panel: Any


# (module, viewer id) -> the panels for the module's slots, by slot id.
ModulePanels = Callable[[ModuleInfo, int], Mapping[str, SlotPanel]]
MODULE_PANELS: Hooks[ModulePanels] = Hooks("module panels")


def module_panels(module: ModuleInfo, viewer_id: int) -> dict[str, SlotPanel]:
    return {slot: panel for make in MODULE_PANELS.all()
            for slot, panel in make(module, viewer_id).items()}
