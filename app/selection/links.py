"""The selection board's link on a call's overview page, for those who may run the call."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.calls.access import may_run_call
from app.calls.hooks import CallLink
from app.calls.models import Call


def board_links(call: Call, viewer: Any) -> list[CallLink]:
    if call.status == "draft" or not may_run_call(viewer, call):
        return []
    return [CallLink(_l("Selection board"), "selection.board", {"call_id": call.id}, 40)]
