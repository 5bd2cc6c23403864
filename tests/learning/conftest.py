"""Fixtures for learning alone; people and courses come from tests/conftest.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from app.auth.models import User
from app.content.models import Course
from app.extensions import db
from app.learning.services import assign_staff


@pytest.fixture
def staffed(gxp_course: Course, marathon_course: Course, people: dict[str, User],
            clock: Callable[[], datetime]) -> dict[str, Course]:
    """Ivan teaches the GxP course and the marathon; Olu teaches nothing yet."""
    courses = {course.slug: course for course in (gxp_course, marathon_course)}
    for course in courses.values():
        assign_staff(people["grace"], course, people["ivan"], "instructor", clock())
    db.session.commit()
    return courses
