"""The reports' read-side statements, straight on the tables of migration 0026 and the
features below: a fixed number per report, grouped in the database, whatever the size of
the intake, the centre or the network (tests/reports/test_budget.py counts them).

An intake's trainees are its `intake_members`; its courses are its programme's
`programme_courses`. Each statement returns aggregates, never one row per trainee, except
where a row per live session of the intake is the aggregate (time in sessions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, distinct, func, select

from app.auth.models import User
from app.centres.models import Centre
from app.certificates.models import Certificate
from app.classroom.models import Attendance, ClassSession
from app.content.models import Module, Quiz
from app.extensions import db
from app.intakes.models import Intake, IntakeMember, Programme, ProgrammeCourse
from app.learning.models import Enrolment, ModuleProgress
from app.quizzes.models import Attempt
from app.reports.rules import BANDS, AttendedSession

# Attendance that counts as time spent in a session.
ATTENDED = ("present", "late")


@dataclass(frozen=True)
class IntakeHead:
    id: int
    code: str
    title: str
    starts_on: date
    ends_on: date
    centre_id: int
    centre_code: str
    centre_name: str
    programme_id: int
    programme_title: str


@dataclass(frozen=True)
class Profile:
    """How many trainees share one country, organisation type and gender."""

    country: str | None
    organisation_type: str | None
    gender: str | None
    trainees: int


@dataclass(frozen=True)
class Funnel:
    members: int
    enrolled: int
    started: int
    completed: int
    certified: int


@dataclass(frozen=True)
class QuizBand:
    quiz_id: int
    quiz_title: str
    band: int  # index into rules.BANDS of the trainee's best score
    trainees: int
    passed: int


def intake_head(intake_id: int) -> IntakeHead | None:
    row = db.session.execute(
        select(Intake.id, Intake.code, Intake.title, Intake.starts_on, Intake.ends_on,
               Intake.centre_id, Centre.code.label("centre_code"),
               Centre.name.label("centre_name"), Intake.programme_id,
               Programme.title.label("programme_title"))
        .join(Centre, Centre.id == Intake.centre_id)
        .join(Programme, Programme.id == Intake.programme_id)
        .where(Intake.id == intake_id)).mappings().first()
    return IntakeHead(**row) if row else None


def _members(intake_id: int) -> Select[Any]:
    return select(IntakeMember.user_id).where(IntakeMember.intake_id == intake_id)


def _courses(programme_id: int) -> Select[Any]:
    return select(ProgrammeCourse.course_id).where(ProgrammeCourse.programme_id == programme_id)


def intake_profiles(intake_id: int) -> list[Profile]:
    rows = db.session.execute(
        select(User.country, User.organisation_type, User.gender,
               func.count().label("trainees"))
        .join(IntakeMember, IntakeMember.user_id == User.id)
        .where(IntakeMember.intake_id == intake_id)
        .group_by(User.country, User.organisation_type, User.gender)).mappings()
    return [Profile(**row) for row in rows]


def intake_funnel(head: IntakeHead) -> Funnel:
    """Trainees, and how many of them enrolled in a course of the programme, opened one of
    its modules, completed the intake and hold its programme certificate: one statement."""
    members, courses = _members(head.id), _courses(head.programme_id)
    enrolled = (select(func.count(distinct(Enrolment.user_id)))
                .where(Enrolment.user_id.in_(members), Enrolment.course_id.in_(courses),
                       Enrolment.enrolled_at.is_not(None)).scalar_subquery())
    started = (select(func.count(distinct(ModuleProgress.user_id)))
               .join(Module, Module.id == ModuleProgress.module_id)
               .where(ModuleProgress.user_id.in_(members), Module.course_id.in_(courses))
               .scalar_subquery())
    certified = (select(func.count(distinct(Certificate.user_id)))
                 .where(Certificate.intake_id == head.id, Certificate.revoked_at.is_(None),
                        Certificate.user_id.in_(members)).scalar_subquery())
    row = db.session.execute(
        select(func.count().label("members"),
               func.count(IntakeMember.completed_at).label("completed"),
               enrolled.label("enrolled"), started.label("started"),
               certified.label("certified"))
        .where(IntakeMember.intake_id == head.id)).mappings().one()
    return Funnel(**row)


def completed_module_minutes(head: IntakeHead) -> dict[str, int]:
    """The stated minutes of the modules the trainees completed, by modality: modules of the
    programme's courses for which the intake held no live session (those count by the
    sessions attended instead)."""
    rows = db.session.execute(
        select(Module.modality, func.coalesce(func.sum(Module.duration_minutes), 0))
        .join(ModuleProgress, ModuleProgress.module_id == Module.id)
        .where(ModuleProgress.user_id.in_(_members(head.id)),
               ModuleProgress.completed_at.is_not(None),
               Module.course_id.in_(_courses(head.programme_id)),
               Module.id.not_in(select(ClassSession.module_id)
                                .where(ClassSession.intake_id == head.id)))
        .group_by(Module.modality))
    return {modality: int(minutes or 0) for modality, minutes in rows}


def attended_sessions(intake_id: int) -> list[AttendedSession]:
    """Each live session of the intake (not cancelled) with its trainees marked present or
    late."""
    rows = db.session.execute(
        select(Module.modality, ClassSession.starts_at, ClassSession.ends_at,
               func.count(Attendance.id).label("attendees"))
        .join(Module, Module.id == ClassSession.module_id)
        .join(Attendance, and_(Attendance.session_id == ClassSession.id,
                               Attendance.mark.in_(ATTENDED),
                               Attendance.user_id.in_(_members(intake_id))))
        .where(ClassSession.intake_id == intake_id, ClassSession.cancelled_at.is_(None))
        .group_by(ClassSession.id, Module.modality, ClassSession.starts_at,
                  ClassSession.ends_at)).mappings()
    return [AttendedSession(**row) for row in rows]


def _band(percent: Any) -> ColumnElement[Any]:
    """The band index of a score, in SQL that SQLite and PostgreSQL read alike."""
    return case(*((percent >= low, index) for index, (low, _) in reversed(list(enumerate(BANDS)))
                  if low), else_=0)


def quiz_bands(head: IntakeHead) -> list[QuizBand]:
    """Per assessment of the programme's courses and score band: how many trainees' best
    graded score falls in it, and how many of them passed it at some attempt."""
    best = (select(Attempt.quiz_id, Attempt.user_id, func.max(Attempt.percent).label("best"),
                   func.max(case((Attempt.passed.is_(True), 1), else_=0)).label("passed"))
            .join(Quiz, Quiz.id == Attempt.quiz_id)
            .where(Attempt.user_id.in_(_members(head.id)), Attempt.state == "graded",
                   Attempt.percent.is_not(None), Quiz.pass_mark.is_not(None),
                   Quiz.course_id.in_(_courses(head.programme_id)))
            .group_by(Attempt.quiz_id, Attempt.user_id).subquery())
    band = _band(best.c.best).label("band")
    rows = db.session.execute(
        select(best.c.quiz_id, func.coalesce(func.nullif(Quiz.title, ""), Quiz.slug)
               .label("quiz_title"), band, func.count().label("trainees"),
               func.sum(best.c.passed).label("passed"))
        .join(Quiz, Quiz.id == best.c.quiz_id)
        .group_by(best.c.quiz_id, Quiz.title, Quiz.slug, band)
        .order_by(best.c.quiz_id)).mappings()
    return [QuizBand(**{**row, "passed": int(row["passed"] or 0)}) for row in rows]


# --- centre and network ----------------------------------------------------------------


@dataclass(frozen=True)
class CentreHead:
    id: int
    code: str
    name: str
    country: str


@dataclass(frozen=True)
class IntakeLine:
    id: int
    code: str
    title: str
    starts_on: date
    trainees: int
    completed: int
    certified: int


@dataclass(frozen=True)
class CentreLine:
    id: int
    code: str
    name: str
    country: str | None  # the trainees' country (None: not recorded), per row
    trainees: int


def centre_head(centre_id: int) -> CentreHead | None:
    row = db.session.execute(select(Centre.id, Centre.code, Centre.name, Centre.country)
                             .where(Centre.id == centre_id)).mappings().first()
    return CentreHead(**row) if row else None


def centre_intakes(centre_id: int) -> list[IntakeLine]:
    certified = (select(func.count(distinct(Certificate.user_id)))
                 .where(Certificate.intake_id == Intake.id, Certificate.revoked_at.is_(None))
                 .correlate(Intake).scalar_subquery())
    rows = db.session.execute(
        select(Intake.id, Intake.code, Intake.title, Intake.starts_on,
               func.count(IntakeMember.user_id).label("trainees"),
               func.count(IntakeMember.completed_at).label("completed"),
               certified.label("certified"))
        .outerjoin(IntakeMember, IntakeMember.intake_id == Intake.id)
        .where(Intake.centre_id == centre_id)
        .group_by(Intake.id, Intake.code, Intake.title, Intake.starts_on)
        .order_by(Intake.starts_on.desc(), Intake.id.desc())).mappings()
    return [IntakeLine(**row) for row in rows]


def trainees_by_country(centre_id: int | None) -> dict[str | None, int]:
    """Distinct trainees of the centre's intakes (every centre's: None) by country: a
    trainee of two intakes counts once."""
    statement = (select(User.country, func.count(distinct(User.id)))
                 .join(IntakeMember, IntakeMember.user_id == User.id)
                 .join(Intake, Intake.id == IntakeMember.intake_id)
                 .group_by(User.country))
    if centre_id is not None:
        statement = statement.where(Intake.centre_id == centre_id)
    return {country: int(n) for country, n in db.session.execute(statement)}


def centres_by_country() -> list[CentreLine]:
    """Every centre, with its distinct trainees by their country (one row per centre and
    country; a centre without trainees has one row of none)."""
    trainees = (select(Intake.centre_id, User.country, IntakeMember.user_id)
                .join(IntakeMember, IntakeMember.intake_id == Intake.id)
                .join(User, User.id == IntakeMember.user_id).distinct().subquery())
    rows = db.session.execute(
        select(Centre.id, Centre.code, Centre.name, trainees.c.country,
               func.count(trainees.c.user_id).label("trainees"))
        .outerjoin(trainees, trainees.c.centre_id == Centre.id)
        .group_by(Centre.id, Centre.code, Centre.name, trainees.c.country)
        .order_by(Centre.name, Centre.id)).mappings()
    return [CentreLine(**row) for row in rows]


def network_counts() -> tuple[int, int]:
    """(intakes, distinct trainees) across the network."""
    row = db.session.execute(select(
        select(func.count()).select_from(Intake).scalar_subquery(),
        select(func.count(distinct(IntakeMember.user_id))).scalar_subquery())).one()
    return int(row[0]), int(row[1])


@dataclass(frozen=True)
class IntakeRef:
    centre_id: int
    id: int
    code: str
    title: str
    starts_on: date


def centres_of(centre_ids: frozenset[int] | None) -> list[CentreHead]:
    """The centres among `centre_ids` (every centre: None), by name."""
    statement = select(Centre.id, Centre.code, Centre.name, Centre.country).order_by(
        Centre.name, Centre.id)
    if centre_ids is not None:
        statement = statement.where(Centre.id.in_(centre_ids))
    return [CentreHead(**row) for row in db.session.execute(statement).mappings()]


def intakes_of(centre_ids: frozenset[int] | None) -> list[IntakeRef]:
    """The intakes of those centres, newest first."""
    statement = select(Intake.centre_id, Intake.id, Intake.code, Intake.title,
                       Intake.starts_on).order_by(Intake.starts_on.desc(), Intake.id.desc())
    if centre_ids is not None:
        statement = statement.where(Intake.centre_id.in_(centre_ids))
    return [IntakeRef(**row) for row in db.session.execute(statement).mappings()]
