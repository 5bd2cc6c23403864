"""Read-side queries for course, module, dashboard and roster pages, and the statements the
learning services run: a fixed number of statements each, whatever the number of courses,
modules or learners."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import (
    Integer,
    Row,
    String,
    and_,
    bindparam,
    cast,
    func,
    literal_column,
    null,
    select,
)

from app.auth.models import User
from app.centres.scope import in_centres
from app.content.models import Course, Module, ModuleVersion
from app.extensions import db
from app.learning.models import CourseStaff, Enrolment, ModuleProgress
from app.learning.outline import CourseOutline, ModuleInfo, outline, outlines, progress_by_slug
from app.learning.rules import CourseProgress, ModuleFacts, ProgressFacts, State, course_progress
from app.records.checks import stream_rows
from app.records.replay import Key
from app.records.replay import Row as RecordRow

R = TypeVar("R", Course, Module, Enrolment)

# The statements that pages and completion run on every request are built once, here:
# building a statement and its cache key on every request cost more than running it
# (docs/performance.md). Each names its columns, and rows are read by those names.
_courses, _enrolments = Course.__table__, Enrolment.__table__
_progress, _modules, _staff = ModuleProgress.__table__, Module.__table__, CourseStaff.__table__
_versions = ModuleVersion.__table__
_ENROLMENT_COLUMNS = (
    _enrolments.c.id.label("enrolment_id"), _enrolments.c.status, _enrolments.c.requested_at,
    _enrolments.c.enrolled_at, _enrolments.c.completed_at, _enrolments.c.last_module_id,
    _enrolments.c.decision_reason)

COURSE_WITH_ENROLMENT = (
    select(_courses.c.id.label("course_id"), _courses.c.generation, *_ENROLMENT_COLUMNS)
    .select_from(_courses.outerjoin(_enrolments, and_(
        _enrolments.c.course_id == _courses.c.id,
        _enrolments.c.user_id == bindparam("viewer"))))
    .where(_courses.c.slug == bindparam("slug")))

DASHBOARD_ENROLMENTS = (
    select(_courses.c.id.label("course_id"), _courses.c.generation, *_ENROLMENT_COLUMNS)
    .select_from(_enrolments.join(_courses, _courses.c.id == _enrolments.c.course_id))
    .where(_enrolments.c.user_id == bindparam("viewer"), _enrolments.c.status != "withdrawn")
    .order_by(_enrolments.c.requested_at.desc(), _enrolments.c.id.desc()))

OWN_PROGRESS = select(_progress.c.module_id, _progress.c.completed_version).where(
    _progress.c.user_id == bindparam("viewer"))

# A viewer's own rows about one course in one statement rather than three: the course page
# reads it, and so does every completion that the page did not read for (attendance,
# sign-off, a released grade). Each row is of one `kind`: "staff" (their role on the
# course's staff in `name`), "done" (the slug of a course they completed, for course
# prerequisites, in `name`) or "progress" (`module_id` and its `completed_version`).
_NO_NAME, _NO_NUMBER = cast(null(), String), cast(null(), Integer)
VIEWER_FACTS = select(
    literal_column("'staff'").label("kind"), _staff.c.role.label("name"),
    _NO_NUMBER.label("module_id"), _NO_NUMBER.label("completed_version"),
).where(_staff.c.course_id == bindparam("course"), _staff.c.user_id == bindparam("viewer")
        ).union_all(
    select(literal_column("'done'"), _courses.c.slug, _NO_NUMBER, _NO_NUMBER)
    .select_from(_enrolments.join(_courses, _courses.c.id == _enrolments.c.course_id))
    .where(_enrolments.c.user_id == bindparam("viewer"),
           _enrolments.c.completed_at.is_not(None)),
    select(literal_column("'progress'"), _NO_NAME, _progress.c.module_id,
           _progress.c.completed_version)
    .select_from(_progress.join(_modules, _modules.c.id == _progress.c.module_id))
    .where(_modules.c.course_id == bindparam("course"),
           _progress.c.user_id == bindparam("viewer")))

STAFF_ROLES = select(_staff.c.role).where(_staff.c.course_id == bindparam("course"),
                                          _staff.c.user_id == bindparam("user"))

# Completion runs these for every passed assessment, attendance and sign-off.
GENERATION = select(_courses.c.generation).where(_courses.c.id == bindparam("course"))
VERSION_SINCE = select(_versions.c.recorded_at).where(
    _versions.c.module_id == bindparam("module"), _versions.c.version == bindparam("version"))
ENROLMENT = select(Enrolment).where(Enrolment.user_id == bindparam("learner"),
                                    Enrolment.course_id == bindparam("course"))
OWN_MODULE_PROGRESS = select(ModuleProgress).where(
    ModuleProgress.user_id == bindparam("learner"), ModuleProgress.module_id == bindparam("module"))
COURSE_PROGRESS = (
    select(_progress.c.module_id, _progress.c.completed_version)
    .join(_modules, _modules.c.id == _progress.c.module_id)
    .where(_progress.c.user_id == bindparam("learner"),
           _modules.c.course_id == bindparam("course")))


def courses_on_staff(user_id: int, course_ids: Iterable[int]) -> set[int]:
    """Of these courses, those on whose staff the user is, in any role: one statement."""
    return set(db.session.scalars(select(CourseStaff.course_id).where(
        CourseStaff.user_id == user_id, CourseStaff.course_id.in_(set(course_ids)))))


def staff_roles_by_course(user_id: int) -> dict[int, frozenset[str]]:
    """Every course on whose staff the user is, with their roles there: one statement."""
    roles: dict[int, set[str]] = {}
    for row in db.session.execute(select(CourseStaff.course_id, CourseStaff.role)
                                  .where(CourseStaff.user_id == user_id)):
        roles.setdefault(row.course_id, set()).add(row.role)
    return {course_id: frozenset(held) for course_id, held in roles.items()}


def requests_by_course(course_ids: Iterable[int] | None, limit: int
                       ) -> list[Row[Any]]:
    """Courses with requests to join waiting, the oldest request first: each course's id,
    slug, title, count and oldest request, of these courses (every course for None); one
    statement."""
    statement = (select(Course.id, Course.slug, Course.title,
                        func.count(Enrolment.id).label("waiting"),
                        func.min(Enrolment.requested_at).label("oldest"))
                 .join(Enrolment, Enrolment.course_id == Course.id)
                 .where(Enrolment.status == "requested")
                 .group_by(Course.id, Course.slug, Course.title)
                 .order_by(func.min(Enrolment.requested_at), Course.id).limit(limit))
    if course_ids is not None:
        statement = statement.where(Course.id.in_(set(course_ids)))
    return list(db.session.execute(statement))


def completed_versions(rows: Iterable[Row[*tuple[Any, ...]]]) -> dict[int, int | None]:
    """Rows of (module_id, completed_version), by module id."""
    return {row.module_id: row.completed_version for row in rows}


# --- where a viewer stands -----------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """The viewer's own rows about one course as of one generation: their roles on its staff,
    the courses they have completed and their progress in this one."""

    viewer_id: int | None
    course: CourseOutline
    staff_roles: frozenset[str]
    completed_courses: frozenset[str]
    module_progress: Mapping[str, ProgressFacts]


def read_standing(viewer_id: int | None, course: CourseOutline) -> Standing:
    """The viewer's own rows about the course: one statement (none for an anonymous one)."""
    roles: set[str] = set()
    done: set[str] = set()
    progress: dict[int, int | None] = {}
    if viewer_id is not None:
        for row in db.session.execute(VIEWER_FACTS, {"course": course.id,
                                                     "viewer": viewer_id}):
            if row.kind == "staff":
                roles.add(row.name)
            elif row.kind == "done":
                done.add(row.name)
            else:
                progress[row.module_id] = row.completed_version
    return Standing(viewer_id, course, frozenset(roles), frozenset(done),
                    progress_by_slug(progress, course.modules))


def course_outline(course_id: int) -> CourseOutline:
    """The course's outline as of now: one small statement, the rest from the cache."""
    generation = db.session.execute(GENERATION, {"course": course_id}).scalar_one()
    return outline(course_id, generation)


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


def _enrolment_info(row: Row[*tuple[Any, ...]]) -> EnrolmentInfo | None:
    """The viewer's enrolment in a row of `COURSE_WITH_ENROLMENT` or `DASHBOARD_ENROLMENTS`."""
    if row.enrolment_id is None:
        return None
    return EnrolmentInfo(
        id=row.enrolment_id, status=row.status, requested_at=row.requested_at,
        enrolled_at=row.enrolled_at, completed_at=row.completed_at,
        last_module_id=row.last_module_id, decision_reason=row.decision_reason)


@dataclass
class CourseView:
    """A course as one viewer sees it. Services that must know whether a module is locked
    take the view itself (it is a `learning.services.LearnerStanding`) and work the state
    out from its facts again, so that a page can never hand them a state of its own."""

    course: CourseOutline
    enrolment: EnrolmentInfo | None
    staff_roles: frozenset[str]  # the viewer's, on this course
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

    def in_language(self, language: str) -> CourseView:
        """The same view with the course's texts in its version `language` (the viewer's
        rows and states are the course's, whatever the language)."""
        if language == self.course.language:
            return self
        return replace(self, course=outline(self.course.id, self.course.generation, language))

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
    row = db.session.execute(COURSE_WITH_ENROLMENT, {
        "slug": slug, "viewer": viewer.id if viewer is not None else -1}).first()
    if row is None:
        return None
    course = outline(row.course_id, row.generation)
    standing = read_standing(viewer.id if viewer is not None else None, course)
    missing = [p for p in course.prerequisites if p not in standing.completed_courses]
    progress = course_progress(course.facts, standing.module_progress,
                               course_locked=bool(missing))
    return CourseView(course, _enrolment_info(row), standing.staff_roles, progress, standing,
                      missing)


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
    rows = db.session.execute(DASHBOARD_ENROLMENTS, {"viewer": user.id}).all()
    if not rows:
        return []
    done = completed_versions(db.session.execute(OWN_PROGRESS, {"viewer": user.id}).all())
    courses = outlines([(row.course_id, row.generation) for row in rows])
    result = []
    for row in rows:
        course = courses[row.course_id]
        enrolment = _enrolment_info(row)
        assert enrolment is not None
        summary = course_progress(course.facts, progress_by_slug(done, course.modules))
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


def roster(view: CourseView, *, country: str = "", organisation: str = "",
           centres: frozenset[int] | None = None) -> list[RosterRow]:
    """Every learner of the course who enrolled through one of `centres` (None: every
    centre), with each module's state: two more statements."""
    statement = (select(Enrolment, User).join(User, User.id == Enrolment.user_id)
                 .where(Enrolment.course_id == view.course.id,
                        Enrolment.status.in_(("active", "requested")),
                        in_centres(Enrolment.centre_id, centres))
                 .order_by(User.name))
    if country:
        statement = statement.where(User.country == country)
    if organisation:
        statement = statement.where(User.organisation.ilike(f"%{organisation.strip()}%"))
    rows = db.session.execute(statement).all()
    by_user: dict[int, dict[int, int | None]] = {}
    if rows:
        for progress in db.session.execute(
                select(ModuleProgress.user_id, ModuleProgress.module_id,
                       ModuleProgress.completed_version)
                .join(Module, Module.id == ModuleProgress.module_id)
                .where(Module.course_id == view.course.id,
                       ModuleProgress.user_id.in_([row.User.id for row in rows]))):
            by_user.setdefault(progress.user_id, {})[progress.module_id] = \
                progress.completed_version
    return [RosterRow(row.User, row.Enrolment, course_progress(
        view.facts, progress_by_slug(by_user.get(row.User.id, {}), view.modules)))
        for row in rows]


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


def enrolment_rows() -> Iterator[tuple[Key, RecordRow]]:
    """The records' reader of "enrolments": status and completion."""
    E = Enrolment
    for row in stream_rows(select(E.id, E.user_id, E.course_id, E.status, E.completed_at)
                           .order_by(E.id)):
        yield (row.id,), {"id": row.id, "user_id": row.user_id, "course_id": row.course_id,
                          "status": row.status, "completed": row.completed_at is not None}


def progress_rows() -> Iterator[tuple[Key, RecordRow]]:
    """The records' reader of "module_progress": the version completed."""
    P = ModuleProgress
    for row in stream_rows(select(P.id, P.user_id, P.module_id, P.completed_version)
                           .order_by(P.user_id, P.module_id)):
        yield (row.user_id, row.module_id), {"id": row.id,
                                             "completed_version": row.completed_version}


def course_titles(slugs: Sequence[str]) -> dict[str, str]:
    """The titles of the courses named by id (prerequisites): one statement, none for no id.
    An id that names no imported course is left out; callers show the id then."""
    if not slugs:
        return {}
    return {row.slug: row.title for row in db.session.execute(
        select(Course.slug, Course.title).where(Course.slug.in_(list(slugs))))}
