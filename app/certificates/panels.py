"""The certificates panels: the learner's on the dashboard, and the course's on its
"Manage course" page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from sqlalchemy import bindparam, func, select

from app.auth.models import User
from app.certificates.models import Certificate, format_code
from app.core.auth import can
from app.extensions import db
from app.learning.panels import Panel, StaffLink, plural
from app.learning.queries import CourseView


@dataclass(frozen=True)
class CertificateLine:
    course_title: str
    code: str
    revoked_at: datetime | None

    @property
    def display_code(self) -> str:
        return format_code(self.code)


_certificates = Certificate.__table__
# Built once: the dashboard runs it on every view.
_MINE = (select(_certificates.c.course_title, _certificates.c.code, _certificates.c.revoked_at)
         .where(_certificates.c.user_id == bindparam("viewer"))
         .order_by(_certificates.c.issued_at.desc()))


def certificates_panel(user: User, _now: datetime) -> Panel | None:
    lines = [CertificateLine(*row) for row in db.session.execute(_MINE, {"viewer": user.id})]
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
        "Certificates", "The certificates this course issued: check one, or revoke it with "
        "a reason.", url_for("certificates.manage", q=view.course.title), issued,
        plural(issued, "certificate issued", "certificates issued"))]
