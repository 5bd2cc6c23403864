"""The reports' own fixtures: one course, two centres and an intake of twenty trainees
whose numbers every test here can work out by hand (tests/reports/data.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pytest

from app.auth.models import User
from app.centres.models import Centre
from app.content.models import Course
from app.core.roles import Role
from app.extensions import db
from app.intakes.models import Intake
from tests.conftest import FrozenClock
from tests.reports import data
from tests.reports.data import REPORT_MODULES, Trainee


@dataclass
class World:
    course: Course
    centre: Centre
    other: Centre
    intake: Intake
    ids: list[int]
    people: dict[str, User]


# Argentina 5, Bangladesh 4, Botswana 6, Korea 3 and two without a country.
COUNTRIES = ["AR"] * 5 + ["BD"] * 4 + ["BW"] * 6 + ["KR"] * 3 + [None] * 2
ORGANISATIONS = ["manufacturer"] * 10 + ["regulator"] * 5 + ["academia"] * 3 + [None] * 2
GENDERS = ["female"] * 8 + ["male"] * 7 + [None] * 5


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
def world(report_course: Course, staff: dict[str, User], clock: FrozenClock) -> World:
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


def fill_intake(intake: Intake, course: Course, centre: Centre, ids: list[int],
                facilitator: User, now: datetime) -> None:
    """18 of the 20 enrolled, 16 started (and completed the intro), 12 completed the exam
    module, the lab and the intake, 10 of them certified; 12 trainees marked at the intake's
    3-hour lab session (10 present, 2 late) and 3 absent; a cancelled session that counts
    for nothing; graded attempts for the first 10 (see test_intake_report)."""
    enrolments = data.enrol(ids[:18], course, centre, now)
    data.progress(ids[:16], data.module(course, "intro"), now, completed=True)
    data.progress(ids[:12], data.module(course, "exam"), now, completed=True)
    data.progress(ids[12:16], data.module(course, "exam"), now, completed=False)
    lab = data.module(course, "lab")
    data.progress(ids[:12], lab, now, completed=True)
    marks = {uid: "present" for uid in ids[:10]} | {uid: "late" for uid in ids[10:12]}
    marks |= {uid: "absent" for uid in ids[12:15]}
    data.session_attended(intake, lab, facilitator, marks, now)
    data.session_attended(intake, lab, facilitator, dict.fromkeys(ids[:12], "present"), now,
                          cancelled=True)
    scores = {ids[0]: [40, 85], ids[1]: [95], ids[2]: [100], ids[3]: [55], ids[4]: [49],
              ids[5]: [20, 30], ids[6]: [72], ids[7]: [78], ids[8]: [60], ids[9]: [91]}
    data.graded_attempts(scores, course, now)
    data.complete_and_certify(intake, ids[:10], enrolments, course, now)
    data.complete_and_certify(intake, ids[10:12], enrolments, course, now, certify=False)
