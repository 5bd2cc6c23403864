"""The classroom's panels: upcoming live sessions on the learner's dashboard, a live module's
next dates at the top of its page, and the course's sessions on its "Manage course" page."""

from __future__ import annotations

from datetime import datetime

from flask import url_for

from app.auth.models import User
from app.classroom.queries import dashboard_upcoming, next_dates, sessions_coming_up
from app.core.auth import can
from app.learning.outline import ModuleInfo
from app.learning.panels import Panel, StaffLink, plural
from app.learning.queries import CourseView


def upcoming_sessions_panel(user: User, now: datetime) -> Panel | None:
    lines = dashboard_upcoming(user, now)
    return Panel("classroom/dashboard_panel.html", {"lines": lines}) if lines else None


def next_dates_panel(module: ModuleInfo, viewer_id: int, now: datetime) -> Panel | None:
    """A live module's next dates, to register from the top of its page: one statement, and
    none for a module without a live session."""
    if not module.session:
        return None
    return Panel("classroom/next_dates.html", {"dates": next_dates(module.id, viewer_id, now)})


def classroom_staff_links(view: CourseView, viewer: User, now: datetime) -> list[StaffLink]:
    """The course's live sessions, with how many are coming up; for its staff, in a course
    with live modules."""
    if not any(module.session for module in view.modules):
        return []
    if not can(viewer, "course.preview", view):  # the course's staff, administrators
        return []
    coming = sessions_coming_up(view.course.id, now)
    return [StaffLink(
        "Live sessions", "Schedule the live modules' sessions, follow seats and waitlists, "
        "take attendance and print sign-in sheets.",
        url_for("classroom.course_sessions_page", course_slug=view.course.slug), coming,
        plural(coming, "session coming up", "sessions coming up"))]
