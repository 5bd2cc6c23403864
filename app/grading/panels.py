"""The grading pages a course's "Manage course" page lists."""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.auth.models import User
from app.centres.scope import staff_centre_ids
from app.core.auth import can
from app.core.roles import Role
from app.core.zones import format_date
from app.grading.queries import attempts_to_grade, grading_work
from app.learning.panels import StaffLink, StaffScope, TodoItem
from app.learning.queries import CourseView


def grading_staff_links(view: CourseView, viewer: User, _now: datetime) -> list[StaffLink]:
    """The queue for the course's assessors (and administrators), with the attempts waiting
    for them; the gradebook for those who manage the course. Only where there are quizzes."""
    if not any(module.quizzes for module in view.modules):
        return []
    links = []
    # The queue is the assessors' page (role_required) and lists the courses they assess.
    if viewer.has_role(Role.ADMIN) or (viewer.has_role(Role.ASSESSOR)
                                       and "assessor" in view.staff_roles):
        waiting = attempts_to_grade(view.course.id)
        links.append(StaffLink(
            _("Grading queue"), _("Essays waiting for a grade against their rubric, oldest "
                                  "first; release graded results under your signature."),
            url_for("grading.queue", course=view.course.id), waiting,
            # Translators: shown after the number of attempts, "3 attempts to grade".
            ngettext("attempt to grade", "attempts to grade", waiting)))
    if can(viewer, "course.manage", view):
        links.append(StaffLink(
            _("Gradebook"), _("Best and last released score of every learner in each "
                              "assessment, as a CSV too; each quiz's item analysis, and "
                              "regrading after a fixed answer key."),
            url_for("grading.course_gradebook", course_slug=view.course.slug)))
    return links


def grading_todo(scope: StaffScope, _now: datetime) -> list[TodoItem]:
    """Essays to grade, oldest first, and results graded but not yet released, in the
    courses the viewer assesses (administrators: every course); the queue is for them."""
    viewer = scope.viewer
    if not (viewer.has_role(Role.ADMIN) or viewer.has_role(Role.ASSESSOR)):
        return []
    courses = scope.courses("assessor")
    if courses is not None and not courses:
        return []
    work, items = grading_work(courses, staff_centre_ids(viewer)), []
    if work.to_grade:
        assert work.oldest is not None
        items.append(TodoItem(
            _("Essays to grade"), url_for("grading.queue"), work.to_grade,
            # Translators: shown after the number of attempts, "3 attempts waiting".
            ngettext("attempt waiting", "attempts waiting", work.to_grade),
            _("the oldest submitted on %(date)s",
              date=format_date(work.oldest, viewer.timezone or "UTC"))))
    if work.to_release:
        items.append(TodoItem(
            _("Results ready to release"), url_for("grading.queue") + "#release-title",
            work.to_release,
            # Translators: shown after the number of attempts, "3 graded attempts".
            ngettext("graded attempt", "graded attempts", work.to_release),
            _("learners see them once you sign their release")))
    return items
