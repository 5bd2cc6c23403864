"""Read-side queries for session lists, the roster and calendars: a fixed number of
statements each, whatever the number of sessions or learners."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row as RowOf
from sqlalchemy import and_, bindparam, func, or_, select

from app.auth.models import User
from app.centres.scope import learner_in_centres, staff_centre_ids
from app.classroom.models import Attendance, ClassSession, Registration
from app.classroom.rules import Place, waitlist_position
from app.content.models import Course, Module
from app.extensions import db
from app.records.checks import stream_rows
from app.records.replay import Key, Row


def sessions_coming_up(course_id: int, now: datetime) -> int:
    """The course's sessions that have not ended and are not cancelled: one statement."""
    return db.session.scalar(
        select(func.count()).select_from(ClassSession)
        .where(ClassSession.course_id == course_id, ClassSession.ends_at >= now,
               ClassSession.cancelled_at.is_(None))) or 0


def sessions_between(start: datetime, end: datetime, *, facilitator_id: int,
                     course_ids: Iterable[int] | None, limit: int) -> list[RowOf[Any]]:
    """Sessions starting in [start, end), not cancelled, that the facilitator leads or that
    belong to these courses (every course for None), earliest first, with how many are
    registered and how many of those have a mark: one statement."""
    S = ClassSession
    seated = (select(func.count(Registration.id))
              .where(Registration.session_id == S.id, Registration.status == "registered")
              .correlate(S).scalar_subquery())
    marked = (select(func.count(Attendance.id)).where(Attendance.session_id == S.id)
              .correlate(S).scalar_subquery())
    statement = (select(S.id, S.starts_at, S.ends_at, Module.title.label("module"),
                        Course.title.label("course"), seated.label("seated"),
                        marked.label("marked"))
                 .join(Module, Module.id == S.module_id).join(Course, Course.id == S.course_id)
                 .where(S.starts_at >= start, S.starts_at < end, S.cancelled_at.is_(None))
                 .order_by(S.starts_at, S.id).limit(limit))
    if course_ids is not None:
        statement = statement.where(or_(S.facilitator_id == facilitator_id,
                                        S.course_id.in_(set(course_ids))))
    return list(db.session.execute(statement))


@dataclass(frozen=True)
class NextDate:
    """A session of a module still open for registration, as the module page lists it."""

    session_id: int
    starts_at: datetime
    ends_at: datetime
    location: str | None
    seats_left: int
    my_status: str | None  # registered, waitlisted, cancelled or None
    cancelled: bool = False  # the session is: shown as such, without a Register button


def next_dates(module_id: int, viewer_id: int, now: datetime, limit: int = 3
               ) -> list[NextDate]:
    """The module's next sessions that registration is open for, or would be but for their
    cancellation, with seats left and the viewer's own registration: one statement."""
    seated = (select(func.count()).where(Registration.session_id == ClassSession.id,
                                         Registration.status == "registered")
              .correlate(ClassSession).scalar_subquery())
    mine = (select(Registration.status).where(Registration.session_id == ClassSession.id,
                                              Registration.user_id == viewer_id)
            .correlate(ClassSession).scalar_subquery())
    rows = db.session.execute(
        select(ClassSession.id, ClassSession.starts_at, ClassSession.ends_at,
               ClassSession.location, ClassSession.capacity, ClassSession.cancelled_at,
               seated.label("seated"), mine.label("mine"))
        .where(ClassSession.module_id == module_id, ClassSession.starts_at > now)
        .order_by(ClassSession.starts_at, ClassSession.id).limit(limit))
    return [NextDate(row.id, row.starts_at, row.ends_at, row.location,
                     max(0, row.capacity - row.seated), row.mine,
                     row.cancelled_at is not None) for row in rows]


@dataclass
class SessionRow:
    session: ClassSession
    module: Module
    course: Course
    facilitator: str
    seated: int = 0
    waiting: int = 0
    my_status: str | None = None  # registered, waitlisted, cancelled or None
    my_position: int | None = None  # on the waitlist, from 1

    @property
    def seats_left(self) -> int:
        return max(0, self.session.capacity - self.seated)


def _rows(where: list, viewer_id: int | None, *, order_desc: bool = False,
          limit: int | None = None) -> list[SessionRow]:
    query = (select(ClassSession, Module, Course, User.name)
             .join(Module, Module.id == ClassSession.module_id)
             .join(Course, Course.id == ClassSession.course_id)
             .join(User, User.id == ClassSession.facilitator_id)
             .where(*where)
             .order_by(ClassSession.starts_at.desc() if order_desc else ClassSession.starts_at,
                       ClassSession.id))
    if limit is not None:
        query = query.limit(limit)
    rows = [SessionRow(s, m, c, name) for s, m, c, name in db.session.execute(query)]
    if not rows:
        return rows
    by_id = {row.session.id: row for row in rows}
    for session_id, status, count in db.session.execute(
            select(Registration.session_id, Registration.status, func.count())
            .where(Registration.session_id.in_(by_id))
            .group_by(Registration.session_id, Registration.status)):
        if status == "registered":
            by_id[session_id].seated = count
        elif status == "waitlisted":
            by_id[session_id].waiting = count
    if viewer_id is not None:
        waitlists: dict[int, list[Place]] = defaultdict(list)
        for reg in db.session.scalars(select(Registration).where(
                Registration.session_id.in_(by_id),
                or_(Registration.user_id == viewer_id, Registration.status == "waitlisted"))):
            if reg.status == "waitlisted":
                waitlists[reg.session_id].append(Place(reg.user_id, reg.placed_at, reg.id))
            if reg.user_id == viewer_id:
                by_id[reg.session_id].my_status = reg.status
        for session_id, places in waitlists.items():
            by_id[session_id].my_position = waitlist_position(viewer_id, places)
    return rows


def course_sessions(course: Course, viewer_id: int | None, *, module_id: int | None = None,
                    ) -> list[SessionRow]:
    where = [ClassSession.course_id == course.id]
    if module_id is not None:
        where.append(ClassSession.module_id == module_id)
    return _rows(where, viewer_id)


def session_row(session_id: int, viewer_id: int | None) -> SessionRow | None:
    rows = _rows([ClassSession.id == session_id], viewer_id)
    return rows[0] if rows else None


def calendar_rows(user: User, now: datetime) -> list[SessionRow]:
    """For the calendar feed: the last 90 days and everything ahead."""
    mine = select(Registration.session_id).where(
        Registration.user_id == user.id, Registration.status.in_(("registered", "waitlisted")))
    return _rows([ClassSession.ends_at >= now - timedelta(days=90),
                  or_(ClassSession.id.in_(mine), ClassSession.facilitator_id == user.id)],
                 user.id)


@dataclass
class RosterLine:
    learner: User
    mark: str | None
    note: str
    status: str  # registered, or cancelled if marked and then cancelled


def roster(session: ClassSession, centres: frozenset[int] | None = None) -> list[RosterLine]:
    """Learners holding a seat (and anyone already marked), by name, with their marks: of
    the learners who enrolled through `centres` (None: every centre)."""
    marks = {a.user_id: a for a in db.session.scalars(select(Attendance).where(
        Attendance.session_id == session.id))}
    registrations = db.session.execute(
        select(Registration.status, User).join(User, User.id == Registration.user_id)
        .where(Registration.session_id == session.id,
               or_(Registration.status == "registered", Registration.user_id.in_(marks)),
               learner_in_centres(session.course_id, Registration.user_id, centres))
        .order_by(User.name, User.id)).all()
    return [RosterLine(user, marks[user.id].mark if user.id in marks else None,
                       marks[user.id].note if user.id in marks else "", status)
            for status, user in registrations]


def holders(session_id: int, *, leaving_out: Iterable[int] = ()) -> list[tuple[User, str]]:
    """The learners holding a seat or a waitlist place at a session, with which: those a
    change or a cancellation is told to (one statement)."""
    return [(user, status) for user, status in db.session.execute(
        select(User, Registration.status).join(Registration, Registration.user_id == User.id)
        .where(Registration.session_id == session_id,
               Registration.status.in_(("registered", "waitlisted")),
               Registration.user_id.not_in(set(leaving_out)))
        .order_by(Registration.placed_at, Registration.id))]


def waitlist(session: ClassSession) -> list[User]:
    return list(db.session.scalars(
        select(User).join(Registration, Registration.user_id == User.id)
        .where(Registration.session_id == session.id, Registration.status == "waitlisted")
        .order_by(Registration.placed_at, Registration.id)))


@dataclass(frozen=True)
class UpcomingLine:
    session_id: int
    starts_at: datetime
    module_title: str
    course_title: str
    status: str | None  # registered, waitlisted, or None when facilitating
    cancelled: bool = False


_sessions, _registrations = ClassSession.__table__, Registration.__table__
_modules, _courses = Module.__table__, Course.__table__
# Built once: the dashboard runs it on every view.
_UPCOMING = (
    select(_sessions.c.id, _sessions.c.starts_at, _modules.c.title, _courses.c.title,
           _registrations.c.status, _sessions.c.cancelled_at)
    .select_from(_sessions.join(_modules, _modules.c.id == _sessions.c.module_id)
                 .join(_courses, _courses.c.id == _sessions.c.course_id)
                 .outerjoin(_registrations, and_(
                     _registrations.c.session_id == _sessions.c.id,
                     _registrations.c.user_id == bindparam("viewer"))))
    .where(_sessions.c.ends_at >= bindparam("now"),
           or_(_registrations.c.status.in_(("registered", "waitlisted")),
               _sessions.c.facilitator_id == bindparam("viewer")))
    .order_by(_sessions.c.starts_at, _sessions.c.id).limit(bindparam("limit")))


def dashboard_upcoming(user: User, now: datetime, limit: int = 8) -> list[UpcomingLine]:
    """One statement: the user's next sessions, as learner or facilitator."""
    rows = db.session.execute(_UPCOMING, {"viewer": user.id, "now": now, "limit": limit})
    return [UpcomingLine(session_id, starts_at, module, course,
                         status if status != "cancelled" else None, cancelled_at is not None)
            for session_id, starts_at, module, course, status, cancelled_at in rows]


# --- what records verify reads (registered in this feature's init_app) --------------------


def attendance_rows() -> Iterator[tuple[Key, Row]]:
    """The records' reader of "attendance": each mark."""
    A = Attendance
    for row in stream_rows(select(A.id, A.session_id, A.user_id, A.mark)
                           .order_by(A.session_id, A.user_id)):
        yield (row.session_id, row.user_id), {"id": row.id, "mark": row.mark}


def roster_centres(viewer: User, session: ClassSession) -> frozenset[int] | None:
    """Whose learners a viewer takes the register of: the session's facilitator, everyone
    seated (they are in the room); the course's other staff, their centres' learners."""
    return None if viewer.id == session.facilitator_id else staff_centre_ids(viewer)
