"""The demo instructor and assessor on the staff of every course, so that a fresh install's
staff pages are full rather than refused (app/auth/demo.py runs this hook)."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.demo import DemoAccounts
from app.content.models import Course
from app.core.roles import Role
from app.extensions import db
from app.learning.services import assign_staff

DEMO_STAFF = ((Role.INSTRUCTOR, "instructor"), (Role.ASSESSOR, "assessor"))


def assign_demo_staff(demo: DemoAccounts) -> list[str]:
    """Assign the demo instructor and assessor to every course there is, as the demo
    administrator would on the staff page: through `assign_staff`, each an audit event."""
    courses = db.session.scalars(select(Course).order_by(Course.slug)).all()
    if not courses:
        return ["No courses yet: assign the demo instructor and assessor to a course on its "
                "staff page once one is imported."]
    administrator = demo.users[Role.ADMIN]
    for course in courses:
        for role, staff_role in DEMO_STAFF:
            assign_staff(administrator, course, demo.users[role], staff_role, demo.now)
    return [f"The demo instructor and assessor are on the staff of {len(courses)} "
            f"course{'s' if len(courses) != 1 else ''}: "
            f"{', '.join(course.slug for course in courses)}."]
