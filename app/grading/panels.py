"""The grading pages a course's "Manage course" page lists."""

from __future__ import annotations

from datetime import datetime

from flask import url_for

from app.auth.models import User
from app.core.auth import can
from app.core.roles import Role
from app.grading.queries import attempts_to_grade
from app.learning.panels import StaffLink, plural
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
            "Grading queue", "Essays waiting for a grade against their rubric, oldest first; "
            "release graded results under your signature.",
            url_for("grading.queue", course=view.course.id), waiting,
            plural(waiting, "attempt to grade", "attempts to grade")))
    if can(viewer, "course.manage", view.course):
        links.append(StaffLink(
            "Gradebook", "Best and last released score of every learner in each assessment, "
            "as a CSV too; each quiz's item analysis, and regrading after a fixed answer key.",
            url_for("grading.course_gradebook", course_slug=view.course.slug)))
    return links
