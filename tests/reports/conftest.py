"""The reports' own fixtures: one course, two centres and an intake of twenty trainees
whose numbers every test here can work out by hand (tests/reports/data.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from app.auth.models import User
from app.content.models import Course
from app.core.roles import Role
from app.extensions import db
from tests.reports import data
from tests.reports.data import (
    COUNTRIES,
    GENDERS,
    ORGANISATIONS,
    REPORT_MODULES,
    Trainee,
    World,
    fill_intake,
)


@pytest.fixture
def report_course(make_course: Callable[..., Course]) -> Course:
    return make_course("report-course", REPORT_MODULES, hours=4.5)


@pytest.fixture
def staff(make_user: Callable[..., User]) -> dict[str, User]:
    """Staff of the two centres, by what they are to centre A."""
    return {
        "network_admin": make_user("network@example.org", roles=(Role.ADMIN,)),
        "centre_admin": make_user("cadmin@example.org", roles=(Role.INSTRUCTOR,)),
        "officer": make_user("officer@example.org", roles=(Role.INSTRUCTOR,)),
        "instructor": make_user("instructor@example.org", roles=(Role.INSTRUCTOR,)),
        "assessor": make_user("assessor@example.org", roles=(Role.ASSESSOR,)),
        "other_admin": make_user("otheradmin@example.org", roles=(Role.INSTRUCTOR,)),
        "learner": make_user("learner@example.org"),
    }


@pytest.fixture
def world(report_course: Course, staff: dict[str, User], clock: Callable[[], datetime]) -> World:
    now = clock()
    centre, other = data.make_centre("ACC", now), data.make_centre("BCC", now, country="BR")
    for name, role in (("centre_admin", "centre_admin"), ("officer", "programme_officer"),
                       ("instructor", "instructor"), ("assessor", "assessor")):
        data.give_centre_role(staff[name], centre, role, now)
    data.give_centre_role(staff["other_admin"], other, "centre_admin", now)
    intake = data.make_intake(centre, [report_course], now)
    ids = data.add_trainees(intake, [Trainee(c, o, g) for c, o, g in
                                     zip(COUNTRIES, ORGANISATIONS, GENDERS, strict=True)], now)
    fill_intake(intake, report_course, centre, ids, staff["instructor"], now)
    db.session.commit()
    return World(report_course, centre, other, intake, ids, staff)
