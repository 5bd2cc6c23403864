"""Fixtures for learning: the shipped courses imported, and people in their roles."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.content.importer import import_courses
from app.content.loader import load_courses
from app.core.roles import Role
from app.extensions import db
from app.learning.services import assign_staff
from tests.content.conftest import write_course  # noqa: F401  (the fixture, shared)

SHIPPED = Path(__file__).resolve().parents[2] / "courses"


@pytest.fixture
def shipped(app, clock):  # type: ignore[no-untyped-def]
    courses, problems = load_courses([SHIPPED])
    assert not problems
    import_courses(courses, now=clock())
    db.session.commit()
    return {c.slug: c for c in courses}


@pytest.fixture
def people(make_user):  # type: ignore[no-untyped-def]
    return {
        "amina": make_user("amina@example.org", name="Amina Yusuf", country="NG",
                           organisation="Biovaccines Nigeria"),
        "kim": make_user("kim@example.org", name="Kim Min-jun", country="KR",
                         organisation="K-Bio"),
        "grace": make_user("grace@example.org", name="Grace Admin", roles=(Role.ADMIN,)),
        "ivan": make_user("ivan@example.org", name="Ivan Instructor",
                          roles=(Role.INSTRUCTOR, Role.ASSESSOR)),
        "olu": make_user("olu@example.org", name="Olu Instructor", roles=(Role.INSTRUCTOR,)),
    }


@pytest.fixture
def staffed(shipped, people, clock):  # type: ignore[no-untyped-def]
    """Ivan teaches the GxP course and the marathon; Olu teaches nothing yet."""
    from sqlalchemy import select

    from app.content.models import Course

    courses = {c.slug: c for c in db.session.scalars(select(Course))}
    for slug in ("gxp-standard-practice", "gmp-vaccine-marathon"):
        assign_staff(people["grace"], courses[slug], people["ivan"], "instructor", clock())
    db.session.commit()
    return courses
