"""What the intakes tests share: a regional centre with its administrator and instructor, a
second centre, a course of the centre's own and a hub course it offers, and a programme of
both with an intake (the `network` fixture of tests/intakes/conftest.py builds it); and the
sample CSV of 30 trainees from 8 countries, which the browser journey imports too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from app.auth.models import User
from app.centres.models import Centre, CentreCourse, CentreRole
from app.centres.services import ensure_hub
from app.content.models import Course, Module
from app.extensions import db
from app.intakes.models import Intake, Programme
from app.intakes.programmes import ProgrammePlan, create_programme
from app.intakes.rules import ProgrammeLine
from app.intakes.services import IntakePlan, create_intake
from tests.course_files import ModuleFile

SAMPLE_CSV = Path(__file__).with_name("trainees-30.csv")


@dataclass
class Network:
    centre: Centre
    other: Centre
    admin: User  # Nadia, centre_admin of `centre`
    instructor: User  # Ivan, instructor at `centre`, on the intake's team
    stranger: User  # Luis, centre_admin of `other`
    own: Course  # the centre's own course: two read modules
    shared: Course  # a hub course the centre offers: a read module and a classroom day
    programme: Programme
    intake: Intake

    def module(self, course: Course, slug: str) -> Module:
        found = db.session.query(Module).filter_by(course_id=course.id, slug=slug).one()
        return found


def _centre(code: str, name: str, country: str, now: object) -> Centre:
    centre = Centre(code=code, name=name, country=country, region="", timezone="Africa/Nairobi",
                    languages=["en"], created_at=now)
    db.session.add(centre)
    db.session.flush()
    return centre


def _role(centre: Centre, user: User, role: str, now: object) -> None:
    db.session.add(CentreRole(centre_id=centre.id, user_id=user.id, role=role, assigned_at=now))


def build_network(make_course: Callable[..., Course], make_user: Callable[..., User],
                  clock: Callable[[], datetime]) -> Network:
    shared = make_course("vaccinology", [
        "vaccine-basics",
        ModuleFile("fill-finish-day", "Fill and finish classroom day", modality="classroom",
                   duration="6 h", session={"attendance": "required", "capacity": 40})],
        title="Vaccinology", hours=8)
    own = make_course("gmp-basics", ["gmp-intro", "cleanroom-basics"], title="GMP basics",
                      hours=4)
    now = clock()
    hub = ensure_hub(now)
    centre = _centre("AFR", "African Regional Training Centre", "KE", now)
    other = _centre("LAT", "Latin American Centre", "AR", now)
    own.centre_id, shared.centre_id = centre.id, hub.id
    db.session.add(CentreCourse(centre_id=centre.id, course_id=shared.id, offered_at=now))
    nadia = make_user("nadia@example.org", name="Nadia Admin")
    ivan = make_user("ivan@example.org", name="Ivan Instructor")
    luis = make_user("luis@example.org", name="Luis Other")
    _role(centre, nadia, "centre_admin", now)
    _role(centre, ivan, "instructor", now)
    _role(other, luis, "centre_admin", now)
    db.session.flush()
    programme = create_programme(nadia, centre, ProgrammePlan(
        code="IBDM", title="Introductory Course for Biologics Development and Manufacturing",
        courses=[ProgrammeLine(own.id, "virtual"), ProgrammeLine(shared.id, "classroom")]), now)
    intake = create_intake(nadia, programme, IntakePlan(
        code="IBDM-2026", title="IBDM March 2026", starts_on=date(2026, 3, 9),
        ends_on=date(2026, 3, 20), timezone="Asia/Seoul", seats=40, virtual_days=9,
        classroom_days=2, hands_on_days=1, staff={ivan.id: "lead"}), now)
    db.session.commit()
    return Network(centre, other, nadia, ivan, luis, own, shared, programme, intake)
