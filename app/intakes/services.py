"""Intakes: their plan (dates, time zone, seats, modality mix, facilitator team), their
deadlines for self-paced parts, their own live sessions, and adding a learner to one."""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from app.auth.models import User
from app.centres.models import CentreRole
from app.classroom.models import ClassSession
from app.classroom.rules import registration_open
from app.classroom.services import Schedule, add_session, check_schedule, register_for_session
from app.content.models import Course, Module
from app.core.auth import authorize
from app.core.errors import ValidationError, refuse_all
from app.extensions import db
from app.intakes.models import (
    INTAKE_STAFF_ROLES,
    Intake,
    IntakeDeadline,
    IntakeMember,
    IntakeStaff,
    Programme,
    ProgrammeCourse,
)
from app.intakes.naming import code_and_title_errors
from app.intakes.rules import intake_problems, length_in_days
from app.learning.services import enrol_at_once
from app.records.services import record_event

INTAKE_PROBLEMS = {
    "order": _l("The intake must end on or after the day it starts."),
    "seats": _l("Give the number of seats (1 or more)."),
    "negative": _l("Give 0 or more days."),
    "too_many": _l("The modality mix has more days than the intake lasts."),
}


@dataclass(frozen=True)
class IntakePlan:
    code: str
    title: str
    starts_on: date
    ends_on: date
    timezone: str
    seats: int
    virtual_days: int = 0
    classroom_days: int = 0
    hands_on_days: int = 0
    staff: Mapping[int, str] = field(default_factory=dict)  # user id -> lead/facilitator/...


def centre_staff(centre_id: int) -> list[User]:
    """Everyone holding a role at the centre, by name: the facilitator team's choices."""
    return list(db.session.scalars(select(User).where(User.id.in_(
        select(CentreRole.user_id).where(CentreRole.centre_id == centre_id))).order_by(User.name)))


def member_count(intake_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(IntakeMember).where(
        IntakeMember.intake_id == intake_id)) or 0


def _check(centre_id: int, plan: IntakePlan, intake_id: int | None) -> IntakePlan:
    code, title = plan.code.strip(), plan.title.strip()
    errors = code_and_title_errors(Intake, centre_id, code, title, intake_id, (
        _l("Give the intake a short code."), _l("Another intake of this centre has this code."),
        _l("Give the intake a title.")))
    if plan.timezone not in zoneinfo.available_timezones():
        errors.append(ValidationError(_l("Choose a time zone from the list."), field="timezone"))
    days = {"virtual_days": plan.virtual_days, "classroom_days": plan.classroom_days,
            "hands_on_days": plan.hands_on_days}
    for name, problem in intake_problems(starts_on=plan.starts_on, ends_on=plan.ends_on,
                                         seats=plan.seats, days=days).items():
        errors.append(ValidationError(INTAKE_PROBLEMS[problem],
                                      field="virtual_days" if name == "days" else name))
    if intake_id is not None and plan.seats < (held := member_count(intake_id)):
        errors.append(ValidationError(_l("%(n)s learners are in the intake: give at least as "
                                         "many seats.", n=held), field="seats"))
    allowed = {user.id for user in centre_staff(centre_id)}
    if any(user_id not in allowed or role not in INTAKE_STAFF_ROLES
           for user_id, role in plan.staff.items()):
        errors.append(ValidationError(_l("Choose the team among the centre's staff."),
                                      field="staff"))
    refuse_all(errors)
    return IntakePlan(code, title, plan.starts_on, plan.ends_on, plan.timezone, plan.seats,
                      plan.virtual_days, plan.classroom_days, plan.hands_on_days,
                      dict(plan.staff))


def _write(intake: Intake, plan: IntakePlan) -> dict[str, object]:
    intake.code, intake.title, intake.timezone, intake.seats = plan.code, plan.title, \
        plan.timezone, plan.seats
    intake.starts_on, intake.ends_on = plan.starts_on, plan.ends_on
    intake.virtual_days, intake.classroom_days, intake.hands_on_days = \
        plan.virtual_days, plan.classroom_days, plan.hands_on_days
    db.session.execute(delete(IntakeStaff).where(IntakeStaff.intake_id == intake.id))
    for user_id, role in plan.staff.items():
        db.session.add(IntakeStaff(intake_id=intake.id, user_id=user_id, role=role))
    db.session.flush()
    return {"code": plan.code, "title": plan.title, "starts_on": plan.starts_on.isoformat(),
            "ends_on": plan.ends_on.isoformat(), "timezone": plan.timezone,
            "seats": plan.seats, "days": [plan.virtual_days, plan.classroom_days,
                                          plan.hands_on_days],
            "staff": {str(k): v for k, v in sorted(plan.staff.items())}}


def create_intake(actor: User, programme: Programme, plan: IntakePlan, now: datetime) -> Intake:
    authorize(actor, "intakes.manage_centre", programme.centre_id)
    plan = _check(programme.centre_id, plan, None)
    intake = Intake(centre_id=programme.centre_id, programme_id=programme.id, code=plan.code,
                    title=plan.title, starts_on=plan.starts_on, ends_on=plan.ends_on,
                    timezone=plan.timezone, seats=plan.seats, created_at=now,
                    created_by_id=actor.id)
    db.session.add(intake)
    db.session.flush()
    details = _write(intake, plan)
    record_event("intake.created", actor=actor, now=now, subject_type="intake",
                 subject_id=intake.id, details={"programme": programme.code, **details})
    return intake


def change_intake(actor: User, intake: Intake, plan: IntakePlan, now: datetime) -> Intake:
    authorize(actor, "intake.manage", intake)
    details = _write(intake, _check(intake.centre_id, plan, intake.id))
    record_event("intake.changed", actor=actor, now=now, subject_type="intake",
                 subject_id=intake.id, details=details)
    return intake


# --- deadlines -----------------------------------------------------------------------------


def programme_modules(programme_id: int) -> list[Module]:
    """The live modules of the programme's courses, in programme and course order."""
    return list(db.session.scalars(
        select(Module).join(ProgrammeCourse, ProgrammeCourse.course_id == Module.course_id)
        .where(ProgrammeCourse.programme_id == programme_id, Module.archived_at.is_(None))
        .order_by(ProgrammeCourse.position, Module.position)))


def set_deadlines(actor: User, intake: Intake, days: Mapping[int, int | None],
                  now: datetime) -> int:
    """"Complete module X by day N" for the modules given (None: no deadline), replacing the
    intake's deadlines; a day must fall within the intake. Returns how many it has."""
    authorize(actor, "intake.manage", intake)
    known = {module.id for module in programme_modules(intake.programme_id)}
    last = length_in_days(intake.starts_on, intake.ends_on)
    wanted = {module_id: day for module_id, day in days.items() if day is not None}
    if any(module_id not in known for module_id in wanted):
        raise ValidationError(_l("Choose modules of the programme's courses."), field="deadlines")
    if any(not 1 <= day <= last for day in wanted.values()):
        raise ValidationError(_l("Give a day between 1 and %(last)s, the intake's last.",
                                 last=last), field="deadlines")
    db.session.execute(delete(IntakeDeadline).where(IntakeDeadline.intake_id == intake.id))
    for module_id, day in sorted(wanted.items()):
        db.session.add(IntakeDeadline(intake_id=intake.id, module_id=module_id, due_day=day))
    db.session.flush()
    record_event("intake.deadlines_changed", actor=actor, now=now, subject_type="intake",
                 subject_id=intake.id,
                 details={"deadlines": {str(k): v for k, v in sorted(wanted.items())}})
    return len(wanted)


# --- the intake's live sessions --------------------------------------------------------------


def on_team(intake_id: int, user: User) -> bool:
    return db.session.scalar(select(IntakeStaff.user_id).where(
        IntakeStaff.intake_id == intake_id, IntakeStaff.user_id == user.id).limit(1)) is not None


def schedule_intake_session(actor: User, intake: Intake, course: Course, plan: Schedule,
                            now: datetime) -> ClassSession:
    """A live session of one of the programme's courses for this intake only, facilitated by
    one of its team; every learner of the intake is registered at once (and a learner added
    later, when they join). Nobody else may register for it."""
    authorize(actor, "intake.manage", intake)
    in_programme = db.session.scalar(select(ProgrammeCourse.course_id).where(
        ProgrammeCourse.programme_id == intake.programme_id,
        ProgrammeCourse.course_id == course.id)) is not None
    if not in_programme:
        raise ValidationError(_l("Choose a course of the intake's programme."), field="module")
    checked = check_schedule(course, plan, facilitator_ok=on_team(intake.id, plan.facilitator))
    session = add_session(actor, course, plan, checked, now, intake_id=intake.id)
    members = db.session.scalars(select(User).join(IntakeMember, IntakeMember.user_id == User.id)
                                 .where(IntakeMember.intake_id == intake.id).order_by(User.id))
    for member in members:
        register_for_session(member, session, now, for_intake=True)
    return session


# --- learners -------------------------------------------------------------------------------


def add_member(actor: User | None, intake: Intake, learner: User, courses: list[Course],
               now: datetime, *, how: str = "import") -> IntakeMember:
    """Put `learner` in the intake, enrolled in every course of its programme (`courses`,
    read once by the caller) through the intake's centre, and registered for the intake's
    sessions still to come."""
    member = IntakeMember(intake_id=intake.id, user_id=learner.id, added_at=now,
                          added_by_id=actor.id if actor else None)
    db.session.add(member)
    db.session.flush()
    for course in courses:
        enrol_at_once(actor or learner, learner, course, now, centre_id=intake.centre_id,
                      how=f"intake {intake.code}")
    record_event("intake.member_added", actor=actor, now=now, subject_type="intake",
                 subject_id=intake.id, learner_id=learner.id,
                 details={"intake": intake.code, "how": how,
                          "courses": [course.slug for course in courses]})
    return member


def register_for_intake_sessions(intake: Intake, learners: list[User], now: datetime) -> None:
    """Seats at the intake's sessions still open for registration, for learners added."""
    sessions = db.session.scalars(select(ClassSession).where(
        ClassSession.intake_id == intake.id, ClassSession.cancelled_at.is_(None),
        ClassSession.starts_at > now)).all()
    for session in sessions:
        if registration_open(session.starts_at, now):
            for learner in learners:
                register_for_session(learner, session, now, for_intake=True)


def programme_courses(programme_id: int) -> list[Course]:
    return list(db.session.scalars(
        select(Course).join(ProgrammeCourse, ProgrammeCourse.course_id == Course.id)
        .where(ProgrammeCourse.programme_id == programme_id)
        .order_by(ProgrammeCourse.position)))
