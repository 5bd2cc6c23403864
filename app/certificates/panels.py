"""The certificates panels: the learner's on the dashboard, and the course's on its
"Manage course" page."""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from app.auth.models import User
from app.certificates.models import Certificate
from app.certificates.queries import my_certificates
from app.core.auth import can
from app.extensions import db
from app.learning.panels import Panel, StaffLink
from app.learning.queries import CourseView


def certificates_panel(user: User, _now: datetime) -> Panel | None:
    lines = my_certificates(user.id)
    return Panel("certificates/dashboard_panel.html",
                 {"certificates": lines}) if lines else None


def certificates_staff_links(view: CourseView, viewer: User, _now: datetime
                             ) -> list[StaffLink]:
    """The certificates the course issued, for those who may revoke them (administrators)."""
    if not view.course.certificate or not can(viewer, "certificate.revoke", None):
        return []
    issued = db.session.scalar(select(func.count()).select_from(Certificate).where(
        Certificate.course_id == view.course.id)) or 0
    return [StaffLink(
        _("Certificates"), _("The certificates this course issued: check one, or revoke it "
                             "with a reason."),
        url_for("certificates.manage", q=view.course.title), issued,
        # Translators: shown after the number of certificates, "3 certificates issued".
        ngettext("certificate issued", "certificates issued", issued))]
