"""The classroom's panels: upcoming live sessions on the learner's dashboard, a live module's
next dates at the top of its page, and the course's sessions on its "Manage course" page."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.auth.models import User
from app.classroom.queries import (
    dashboard_upcoming,
    next_dates,
    sessions_between,
    sessions_coming_up,
)
from app.core.auth import can
from app.core.zones import format_span, local_time, to_utc
from app.learning.outline import ModuleInfo
from app.learning.panels import TODO_LIMIT, Panel, StaffLink, StaffScope, TodoItem
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
        _("Live sessions"), _("Schedule the live modules' sessions, follow seats and "
                              "waitlists, take attendance and print sign-in sheets."),
        url_for("classroom.course_sessions_page", course_slug=view.course.slug), coming,
        # Translators: shown after the number of sessions, "3 sessions coming up".
        ngettext("session coming up", "sessions coming up", coming))]


def viewers_today(now: datetime, zone: str) -> tuple[datetime, datetime]:
    """Today on the viewer's wall clock, from midnight to midnight, as UTC times."""
    day = local_time(now, zone).date()
    midnight = datetime(day.year, day.month, day.day)
    return to_utc(midnight, zone), to_utc(midnight + timedelta(days=1), zone)


def attendance_todo(scope: StaffScope, now: datetime) -> list[TodoItem]:
    """Today's sessions (on the viewer's clock) whose attendance the viewer takes: those they
    facilitate and those of the courses they teach (administrators: every session)."""
    zone = scope.viewer.timezone or "UTC"
    start, end = viewers_today(now, zone)
    rows = sessions_between(start, end, facilitator_id=scope.viewer.id,
                            course_ids=scope.courses("instructor"), limit=TODO_LIMIT)
    return [TodoItem(
        _("Take attendance: %(module)s", module=row.module),
        url_for("classroom.attendance", session_id=row.id),
        row.seated - min(row.marked, row.seated),
        # Translators: shown after the number of learners, "3 learners to mark".
        ngettext("learner to mark", "learners to mark", row.seated - min(row.marked, row.seated)),
        f"{row.course}, {format_span(row.starts_at, row.ends_at, zone)}") for row in rows]
