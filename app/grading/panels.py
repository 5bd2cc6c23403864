"""The grading pages a course's "Manage course" page lists."""

from __future__ import annotations

from datetime import datetime

from flask import url_for

from app.auth.models import User
from app.core.auth import can
from app.core.roles import Role
from app.grading.queries import attempts_to_grade, grading_work
from app.learning.panels import StaffLink, StaffScope, TodoItem, date_note, plural
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
    if can(viewer, "course.manage", view):
        links.append(StaffLink(
            "Gradebook", "Best and last released score of every learner in each assessment, "
            "as a CSV too; each quiz's item analysis, and regrading after a fixed answer key.",
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
    work, items = grading_work(courses), []
    if work.to_grade:
        assert work.oldest is not None
        items.append(TodoItem(
            "Essays to grade", url_for("grading.queue"), work.to_grade,
            plural(work.to_grade, "attempt waiting", "attempts waiting"),
            date_note(work.oldest, viewer, "the oldest submitted on")))
    if work.to_release:
        items.append(TodoItem(
            "Results ready to release", url_for("grading.queue") + "#release-title",
            work.to_release, plural(work.to_release, "graded attempt", "graded attempts"),
            "learners see them once you sign their release"))
    return items
