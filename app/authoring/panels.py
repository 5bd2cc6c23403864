"""The course's files on its "Manage course" page: the editor, or the draft's preview."""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _

from app.auth.models import User
from app.authoring.policies import ViewedSource
from app.authoring.revisions import find_source
from app.core.auth import can
from app.learning.panels import StaffLink
from app.learning.queries import CourseView


def authoring_staff_links(view: CourseView, viewer: User, _now: datetime) -> list[StaffLink]:
    """Editors get the editor; assessors the draft as learners will see it."""
    # Every authoring policy for a published course asks for its staff or an administrator:
    # nobody else costs a statement here.
    if not can(viewer, "course.preview", view):
        return []
    source = find_source(view.course.slug)
    if source is None:
        return []
    viewed = ViewedSource(source, view)
    if can(viewer, "authoring.edit", viewed):
        return [StaffLink(
            _("Edit the course"), _("Its files in the browser: edit and check them, review the "
                                    "changes and publish; earlier revisions to roll back to."),
            url_for("authoring.overview", slug=source.slug))]
    if can(viewer, "authoring.preview", viewed):
        return [StaffLink(
            _("Preview the draft"), _("The next version of the course as learners will see it, "
                                      "before it is published."),
            url_for("authoring.learner_preview", slug=source.slug))]
    return []
