"""The hands-on assessments a course's "Manage course" page lists."""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.auth.models import User
from app.centres.scope import staff_centre_ids
from app.core.auth import can
from app.core.zones import format_date
from app.learning.panels import TODO_LIMIT, StaffLink, StaffScope, TodoItem
from app.learning.queries import CourseView
from app.practicals.queries import requests_by_course, requests_waiting


def practicals_staff_links(view: CourseView, viewer: User, _now: datetime) -> list[StaffLink]:
    """The assessor's overview, with the learners who asked to be assessed; only in a
    course with a hands-on checklist, for its assessors."""
    if not any("sign_off" in module.requirements for module in view.modules):
        return []
    if not can(viewer, "practical.assess", view):
        return []
    asked = requests_waiting(view.course.id)
    return [StaffLink(
        _("Hands-on assessments"), _("Observe learners against the course's checklists, mark "
                                     "each item and sign the outcome."),
        url_for("practicals.course_overview_page", course_slug=view.course.slug), asked,
        # Translators: shown after the number of learners, "3 learners asked to be assessed".
        ngettext("learner asked to be assessed", "learners asked to be assessed", asked))]


def practicals_todo(scope: StaffScope, _now: datetime) -> list[TodoItem]:
    """Sign-offs requested: one line per course the viewer assesses (only a course's own
    assessors observe and sign, administrators included), the oldest request first."""
    courses = scope.assigned("assessor")
    if not courses:
        return []
    return [TodoItem(
        _("Sign-offs requested in %(course)s", course=row.title),
        url_for("practicals.course_overview_page", course_slug=row.slug), row.waiting,
        # Translators: shown after the number of learners, "3 learners asked to be assessed".
        ngettext("learner asked to be assessed", "learners asked to be assessed", row.waiting),
        _("the oldest asked on %(date)s",
          date=format_date(row.oldest, scope.viewer.timezone or "UTC")))
        for row in requests_by_course(courses, TODO_LIMIT,
                                              staff_centre_ids(scope.viewer))]
