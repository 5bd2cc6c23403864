"""Read-side queries of intakes: the progress board, a learner's intake schedule, a centre's
programmes and intakes. Each runs a fixed number of statements whatever the intake's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from app.auth.models import User
from app.classroom.models import ClassSession
from app.content.models import Course, Module
from app.extensions import db
from app.intakes.models import Intake, IntakeDeadline, IntakeMember, Programme, ProgrammeCourse
from app.intakes.rules import Deadline, cell_state, day_number, due_at, state_counts
from app.learning.models import Enrolment, ModuleProgress


@dataclass(frozen=True)
class BoardCourse:
    id: int
    title: str
    modality: str


@dataclass(frozen=True)
class BoardRow:
    user_id: int
    name: str
    email: str
    country: str | None
    completed_at: datetime | None
    cells: tuple[str, ...]  # one state per course, in the board's course order


@dataclass(frozen=True)
class Board:
    courses: list[BoardCourse]
    rows: list[BoardRow]
    counts: dict[int, dict[str, int]]  # course id -> state -> learners
    totals: dict[str, int]  # state -> cells


def progress_board(intake: Intake, now: datetime) -> Board:
    """Learners x courses, each cell done / on track / behind. Five statements."""
    courses = [BoardCourse(row.id, row.title, row.modality) for row in db.session.execute(
        select(Course.id, Course.title, ProgrammeCourse.modality)
        .join(ProgrammeCourse, ProgrammeCourse.course_id == Course.id)
        .where(ProgrammeCourse.programme_id == intake.programme_id)
        .order_by(ProgrammeCourse.position))]
    members = db.session.execute(
        select(User.id, User.name, User.email, User.country, IntakeMember.completed_at)
        .join(IntakeMember, IntakeMember.user_id == User.id)
        .where(IntakeMember.intake_id == intake.id).order_by(User.name, User.id)).all()
    in_intake = select(IntakeMember.user_id).where(IntakeMember.intake_id == intake.id)
    course_ids = [c.id for c in courses]
    completed = {(row.user_id, row.course_id) for row in db.session.execute(
        select(Enrolment.user_id, Enrolment.course_id).where(
            Enrolment.user_id.in_(in_intake), Enrolment.course_id.in_(course_ids),
            Enrolment.completed_at.is_not(None)))}
    deadlines: dict[int, list[Deadline]] = {}
    for row in db.session.execute(
            select(IntakeDeadline.module_id, IntakeDeadline.due_day, Module.course_id)
            .join(Module, Module.id == IntakeDeadline.module_id)
            .where(IntakeDeadline.intake_id == intake.id)):
        deadlines.setdefault(row.course_id, []).append(
            Deadline(row.module_id, due_at(intake.starts_on, row.due_day, intake.timezone)))
    modules_done: dict[int, set[int]] = {}
    for done in db.session.execute(
            select(ModuleProgress.user_id, ModuleProgress.module_id).where(
                ModuleProgress.user_id.in_(in_intake),
                ModuleProgress.module_id.in_(select(IntakeDeadline.module_id).where(
                    IntakeDeadline.intake_id == intake.id)),
                ModuleProgress.completed_at.is_not(None))):
        modules_done.setdefault(done.user_id, set()).add(done.module_id)
    rows = [BoardRow(m.id, m.name, m.email, m.country, m.completed_at, tuple(
        cell_state((m.id, c.id) in completed, deadlines.get(c.id, ()),
                   modules_done.get(m.id, set()), now) for c in courses)) for m in members]
    counts = {c.id: state_counts(row.cells[i] for row in rows) for i, c in enumerate(courses)}
    return Board(courses, rows, counts, state_counts(s for row in rows for s in row.cells))


# --- the learner's schedule ------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleLine:
    kind: str  # "session" or "deadline"
    intake_id: int
    at: datetime  # a session's start; a deadline's end (midnight after its day)
    day: int  # the intake's day number
    title: str  # the module's
    course_title: str
    session_id: int | None = None
    ends_at: datetime | None = None
    done: bool = False


@dataclass(frozen=True)
class IntakeSchedule:
    intake_id: int
    title: str
    starts_on: date
    ends_on: date
    timezone: str
    lines: list[ScheduleLine]


def my_intakes(user_id: int, today: date) -> list[Intake]:
    """The learner's intakes that have not ended more than a week ago: one statement."""
    return list(db.session.scalars(
        select(Intake).join(IntakeMember, IntakeMember.intake_id == Intake.id)
        .where(IntakeMember.user_id == user_id, Intake.ends_on >= today - timedelta(days=7))
        .order_by(Intake.starts_on).limit(3)))


def intake_schedules(user_id: int, intakes: list[Intake]) -> list[IntakeSchedule]:
    """Each intake's sessions and deadlines in time order, with whether the learner has done
    each deadline's module: two statements whatever the number of intakes."""
    if not intakes:
        return []
    by_id = {intake.id: intake for intake in intakes}
    lines: dict[int, list[ScheduleLine]] = {i: [] for i in by_id}
    for row in db.session.execute(
            select(ClassSession.id, ClassSession.intake_id, ClassSession.starts_at,
                   ClassSession.ends_at, Module.title, Course.title.label("course"))
            .join(Module, Module.id == ClassSession.module_id)
            .join(Course, Course.id == ClassSession.course_id)
            .where(ClassSession.intake_id.in_(by_id), ClassSession.cancelled_at.is_(None))):
        intake = by_id[row.intake_id]
        lines[intake.id].append(ScheduleLine(
            "session", intake.id, row.starts_at,
            day_number(intake.starts_on, row.starts_at, intake.timezone), row.title, row.course,
            session_id=row.id, ends_at=row.ends_at))
    done = (select(func.count()).select_from(ModuleProgress)
            .where(ModuleProgress.user_id == user_id,
                   ModuleProgress.module_id == IntakeDeadline.module_id,
                   ModuleProgress.completed_at.is_not(None)).scalar_subquery())
    for row in db.session.execute(
            select(IntakeDeadline.intake_id, IntakeDeadline.due_day, Module.title,
                   Course.title.label("course"), done.label("done"))
            .join(Module, Module.id == IntakeDeadline.module_id)
            .join(Course, Course.id == Module.course_id)
            .where(IntakeDeadline.intake_id.in_(by_id))):
        intake = by_id[row.intake_id]
        lines[intake.id].append(ScheduleLine(
            "deadline", intake.id, due_at(intake.starts_on, row.due_day, intake.timezone),
            row.due_day, row.title, row.course, done=bool(row.done)))
    return [IntakeSchedule(i.id, i.title, i.starts_on, i.ends_on, i.timezone,
                           sorted(lines[i.id], key=lambda line: (line.at, line.kind)))
            for i in intakes]


# --- a centre's programmes and intakes ----------------------------------------------------


@dataclass(frozen=True)
class IntakeLine:
    intake: Intake
    programme_title: str
    members: int


def centre_programmes(centre_id: int) -> list[Programme]:
    return list(db.session.scalars(select(Programme).where(Programme.centre_id == centre_id)
                                   .order_by(Programme.title)))


def centre_intakes(centre_id: int) -> list[IntakeLine]:
    """The centre's intakes, newest first, with their programme and learners: one
    statement."""
    members = (select(func.count()).select_from(IntakeMember)
               .where(IntakeMember.intake_id == Intake.id).scalar_subquery())
    return [IntakeLine(row.Intake, row.title, row.members) for row in db.session.execute(
        select(Intake, Programme.title, members.label("members"))
        .join(Programme, Programme.id == Intake.programme_id)
        .where(Intake.centre_id == centre_id).order_by(Intake.starts_on.desc()))]
