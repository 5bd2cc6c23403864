"""Read-side queries for course, module, dashboard and roster pages: a fixed number of
statements each, whatever the number of courses, modules or learners."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from sqlalchemy import and_, bindparam, func, select

from app.auth.models import User
from app.content.models import Course, Module
from app.extensions import db
from app.learning.models import CourseStaff, Enrolment, ModuleProgress
from app.learning.outline import CourseOutline, ModuleInfo, outline, outlines, progress_by_slug
from app.learning.rules import CourseProgress, ModuleFacts, ProgressFacts, State, course_progress
from app.learning.services import Standing, read_standing, remember_staff_roles
from app.records.checks import stream_rows
from app.records.replay import Key, Row

R = TypeVar("R", Course, Module, Enrolment)

# Pages read their rows with Core statements built once, here: building a statement and its
# cache key on every request cost more than running it (docs/performance.md).
_courses, _enrolments = Course.__table__, Enrolment.__table__
_progress, _modules, _staff = ModuleProgress.__table__, Module.__table__, CourseStaff.__table__
_ENROLMENT_COLUMNS = (_enrolments.c.id, _enrolments.c.status, _enrolments.c.requested_at,
                      _enrolments.c.enrolled_at, _enrolments.c.completed_at,
                      _enrolments.c.last_module_id, _enrolments.c.decision_reason)

_COURSE_WITH_ENROLMENT = (
    select(_courses.c.id, _courses.c.generation, *_ENROLMENT_COLUMNS)
    .select_from(_courses.outerjoin(_enrolments, and_(
        _enrolments.c.course_id == _courses.c.id,
        _enrolments.c.user_id == bindparam("viewer"))))
    .where(_courses.c.slug == bindparam("slug")))

_DASHBOARD_ENROLMENTS = (
    select(_courses.c.id, _courses.c.generation, *_ENROLMENT_COLUMNS)
    .select_from(_enrolments.join(_courses, _courses.c.id == _enrolments.c.course_id))
    .where(_enrolments.c.user_id == bindparam("viewer"), _enrolments.c.status != "withdrawn")
    .order_by(_enrolments.c.requested_at.desc(), _enrolments.c.id.desc()))

_OWN_PROGRESS = select(_progress.c.module_id, _progress.c.completed_version).where(
    _progress.c.user_id == bindparam("viewer"))


@dataclass(frozen=True)
class EnrolmentInfo:
    """The viewer's enrolment as pages show it; `row()` gives the record itself to change."""

    id: int
    status: str
    requested_at: datetime
    enrolled_at: datetime | None
    completed_at: datetime | None
    last_module_id: int | None
    decision_reason: str

    def row(self) -> Enrolment:
        return _record(Enrolment, self.id)


def _record(model: type[R], record_id: int) -> R:
    """The record behind a value a page read, for a service that changes it."""
    found = db.session.get(model, record_id)
    assert found is not None
    return found


def _enrolment_info(row: tuple[object, ...]) -> EnrolmentInfo | None:
    """The enrolment columns of a row that starts with (course id, generation)."""
    if row[2] is None:
        return None
    return EnrolmentInfo(*row[2:])  # type: ignore[arg-type]


@dataclass
class CourseView:
    """A course as one viewer sees it. Services that must know whether a module is locked
    take the view itself (it is a `learning.services.LearnerStanding`) and work the state
    out from its facts again, so that a page can never hand them a state of its own."""

    course: CourseOutline
    enrolment: EnrolmentInfo | None
    staff_roles: set[str]
    progress: CourseProgress
    standing: Standing  # the viewer's own rows, as read
    missing_courses: list[str] = field(default_factory=list)  # unmet course prerequisites

    @property
    def viewer_id(self) -> int | None:
        return self.standing.viewer_id

    @property
    def completed_courses(self) -> frozenset[str]:
        return self.standing.completed_courses

    @property
    def module_progress(self) -> Mapping[str, ProgressFacts]:
        return self.standing.module_progress

    @property
    def modules(self) -> tuple[ModuleInfo, ...]:
        """Live modules in order."""
        return self.course.modules

    @property
    def facts(self) -> list[ModuleFacts]:
        return self.course.facts

    @property
    def enrolled(self) -> bool:
        return self.enrolment is not None and self.enrolment.status == "active"

    def module(self, slug: str) -> ModuleInfo | None:
        return next((m for m in self.modules if m.slug == slug), None)

    def course_row(self) -> Course:
        return _record(Course, self.course.id)

    @staticmethod
    def module_row(module: ModuleInfo) -> Module:
        return _record(Module, module.id)

    @property
    def resume_module(self) -> ModuleInfo | None:
        """Where to continue: the last module opened, unless it is complete, then the next."""
        last = next((m for m in self.modules
                     if self.enrolment and m.id == self.enrolment.last_module_id), None)
        if last is not None and self.progress.states.get(last.slug) != State.COMPLETE:
            return last
        return self.module(self.progress.next_slug or "")

    def neighbours(self, slug: str) -> tuple[ModuleInfo | None, ModuleInfo | None]:
        index = next(i for i, m in enumerate(self.modules) if m.slug == slug)
        previous = self.modules[index - 1] if index > 0 else None
        following = self.modules[index + 1] if index + 1 < len(self.modules) else None
        return previous, following


def course_view(slug: str, viewer: User | None) -> CourseView | None:
    """Two statements (one for an anonymous viewer), plus the outline's own when an import
    changed the course."""
    row = db.session.execute(_COURSE_WITH_ENROLMENT, {
        "slug": slug, "viewer": viewer.id if viewer is not None else -1}).first()
    if row is None:
        return None
    course = outline(row[0], row[1])
    standing = read_standing(viewer.id if viewer is not None else None, course)
    if viewer is not None:
        remember_staff_roles(viewer, course.id, set(standing.staff_roles))
    missing = [p for p in course.prerequisites if p not in standing.completed_courses]
    progress = course_progress(course.facts, standing.module_progress,
                               course_locked=bool(missing))
    return CourseView(course, _enrolment_info(tuple(row)), set(standing.staff_roles), progress,
                      standing, missing)


@dataclass
class DashboardCourse:
    course: CourseOutline
    enrolment: EnrolmentInfo
    progress: CourseProgress
    next_module: ModuleInfo | None
    continue_module: ModuleInfo | None


def dashboard(user: User) -> list[DashboardCourse]:
    """The learner's courses (active, requested, declined) with progress: two statements,
    plus the outlines' own for courses an import changed."""
    rows = db.session.execute(_DASHBOARD_ENROLMENTS, {"viewer": user.id}).all()
    if not rows:
        return []
    progress_rows = [(m, v) for m, v in db.session.execute(_OWN_PROGRESS, {"viewer": user.id})]
    courses = outlines([(row[0], row[1]) for row in rows])
    result = []
    for row in rows:
        course = courses[row[0]]
        enrolment = _enrolment_info(tuple(row))
        assert enrolment is not None
        summary = course_progress(course.facts, progress_by_slug(progress_rows, course.modules))
        by_slug = {m.slug: m for m in course.modules}
        last = next((m for m in course.modules if m.id == enrolment.last_module_id), None)
        if last is not None and summary.states.get(last.slug) == State.COMPLETE:
            last = None  # finished: point at the next module instead
        result.append(DashboardCourse(
            course, enrolment, summary, by_slug.get(summary.next_slug or ""), last))
    return result


@dataclass
class RosterRow:
    learner: User
    enrolment: Enrolment
    progress: CourseProgress


def roster(view: CourseView, *, country: str = "", organisation: str = "") -> list[RosterRow]:
    """Every learner of the course with each module's state: two more statements."""
    statement = (select(Enrolment, User).join(User, User.id == Enrolment.user_id)
                 .where(Enrolment.course_id == view.course.id,
                        Enrolment.status.in_(("active", "requested")))
                 .order_by(User.name))
    if country:
        statement = statement.where(User.country == country)
    if organisation:
        statement = statement.where(User.organisation.ilike(f"%{organisation.strip()}%"))
    rows = db.session.execute(statement).all()
    by_user: dict[int, list[tuple[int, int | None]]] = {}
    if rows:
        for user_id, module_id, version in db.session.execute(
                select(ModuleProgress.user_id, ModuleProgress.module_id,
                       ModuleProgress.completed_version)
                .join(Module, Module.id == ModuleProgress.module_id)
                .where(Module.course_id == view.course.id,
                       ModuleProgress.user_id.in_([user.id for _, user in rows]))):
            by_user.setdefault(user_id, []).append((module_id, version))
    return [RosterRow(user, enrolment, course_progress(
        view.facts, progress_by_slug(by_user.get(user.id, []), view.modules)))
        for enrolment, user in rows]


def staff_counts(course_id: int) -> tuple[int, int]:
    """Requests to join waiting for a decision, and assignments to the course's staff: one
    statement, for the "Manage course" page."""
    requests = (select(func.count()).select_from(Enrolment)
                .where(Enrolment.course_id == course_id, Enrolment.status == "requested")
                .scalar_subquery())
    staff = (select(func.count()).select_from(CourseStaff)
             .where(CourseStaff.course_id == course_id).scalar_subquery())
    row = db.session.execute(select(requests.label("requests"), staff.label("staff"))).one()
    return row.requests, row.staff


# --- what records verify reads (registered in this feature's init_app) --------------------


def enrolment_rows() -> Iterator[tuple[Key, Row]]:
    """The records' reader of "enrolments": status and completion."""
    E = Enrolment
    for row in stream_rows(select(E.id, E.user_id, E.course_id, E.status, E.completed_at)
                           .order_by(E.id)):
        yield (row.id,), {"id": row.id, "user_id": row.user_id, "course_id": row.course_id,
                          "status": row.status, "completed": row.completed_at is not None}


def progress_rows() -> Iterator[tuple[Key, Row]]:
    """The records' reader of "module_progress": the version completed."""
    P = ModuleProgress
    for row in stream_rows(select(P.id, P.user_id, P.module_id, P.completed_version)
                           .order_by(P.user_id, P.module_id)):
        yield (row.user_id, row.module_id), {"id": row.id,
                                             "completed_version": row.completed_version}
