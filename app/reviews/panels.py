"""What reviewing adds to other features' pages: its link on a call's overview (calls'
`CALL_LINKS`) and a reviewer's applications to score on the dashboard (learning's
`DASHBOARD_PANELS`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.calls.access import is_reviewer, may_run_call
from app.calls.hooks import CallLink
from app.calls.models import Call
from app.learning.panels import Panel
from app.reviews.queries import waiting_by_call


def call_links(call: Call, viewer: Any) -> list[CallLink]:
    """The officers' progress page of the call's reviews; a reviewer's own list."""
    if may_run_call(viewer, call):
        return [CallLink(_l("Reviews"), "reviews.call_page", {"call_id": call.id}, order=20)]
    if is_reviewer(viewer, call):
        return [CallLink(_l("Your reviews"), "reviews.index", {}, order=20)]
    return []


def reviews_panel(user: User, _now: datetime) -> Panel | None:
    """The applications waiting for the reviewer's score, by call: one statement."""
    waiting = waiting_by_call(user.id)
    return Panel("reviews/dashboard_panel.html", {"waiting": waiting}) if waiting else None
