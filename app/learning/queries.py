"""Read-side queries for course, module, dashboard and roster pages: a fixed number of
statements each, whatever the number of courses, modules or learners."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import String, and_, cast, literal, select
from sqlalchemy.orm import defer

from app.auth.models import User
from app.content.models import Checklist, Course, Module, Quiz
from app.extensions import db
from app.learning.models import CourseStaff, Enrolment, ModuleProgress
from app.learning.rules import CourseProgress, ModuleFacts, State, course_progress
from app.learning.services import module_facts, progress_facts, remember_staff_roles


@dataclass
class CourseView:
    """A course as one viewer sees it."""

    course: Course
    modules: list[Module]  # live modules in order; bodies are not loaded
    facts: list[ModuleFacts]
    enrolment: Enrolment | None
    staff_roles: set[str]
    progress: CourseProgress
    missing_courses: list[str] = field(default_factory=list)  # unmet course prerequisites

    @property
    def enrolled(self) -> bool:
        return self.enrolment is not None and self.enrolment.status == "active"

    def module(self, slug: str) -> Module | None:
        return next((m for m in self.modules if m.slug == slug), None)

    @property
    def resume_module(self) -> Module | None:
        """Where to continue: the last module opened, unless it is complete, then the next."""
        last = next((m for m in self.modules
                     if self.enrolment and m.id == self.enrolment.last_module_id), None)
        if last is not None and self.progress.states.get(last.slug) != State.COMPLETE:
            return last
        return self.module(self.progress.next_slug or "")

    def neighbours(self, slug: str) -> tuple[Module | None, Module | None]:
        index = next(i for i, m in enumerate(self.modules) if m.slug == slug)
        previous = self.modules[index - 1] if index > 0 else None
        following = self.modules[index + 1] if index + 1 < len(self.modules) else None
        return previous, following


def _live_modules(course_ids: Iterable[int]) -> list[Module]:
    return list(db.session.scalars(
        select(Module).where(Module.course_id.in_(list(course_ids)),
                             Module.archived_at.is_(None))
        .options(defer(Module.body_html), defer(Module.facilitator_html))
        .order_by(Module.course_id, Module.position, Module.slug)))


def _course_facts(course_ids: list[int], viewer_id: int, prerequisites: list[str]
                  ) -> list[tuple[str, str]]:
    """In one statement: which modules are assessed or signed off, the viewer's staff roles,
    and which prerequisite courses the viewer has completed. Rows are (kind, value)."""
    parts = [
        select(literal("assessment"), cast(Quiz.module_id, String)).where(
            Quiz.course_id.in_(course_ids), Quiz.archived_at.is_(None),
            Quiz.pass_mark.is_not(None)),
        select(literal("checklist"), cast(Checklist.module_id, String)).where(
            Checklist.course_id.in_(course_ids), Checklist.archived_at.is_(None)),
        select(literal("staff"), CourseStaff.role).where(
            CourseStaff.course_id.in_(course_ids), CourseStaff.user_id == viewer_id),
    ]
    if prerequisites:
        parts.append(select(literal("done"), Course.slug).join(
            Enrolment, Enrolment.course_id == Course.id).where(
            Course.slug.in_(prerequisites), Enrolment.user_id == viewer_id,
            Enrolment.completed_at.is_not(None)))
    statement = parts[0].union_all(*parts[1:])
    return [(str(kind), str(value)) for kind, value in db.session.execute(statement)]


def _progress_rows(user_ids: list[int], modules: list[Module]) -> list[ModuleProgress]:
    if not user_ids or not modules:
        return []
    return list(db.session.scalars(select(ModuleProgress).where(
        ModuleProgress.user_id.in_(user_ids),
        ModuleProgress.module_id.in_([m.id for m in modules]))))


def course_view(slug: str, viewer: User | None, *, with_progress: bool = True
                ) -> CourseView | None:
    viewer_id = viewer.id if viewer is not None else -1
    row = db.session.execute(
        select(Course, Enrolment).outerjoin(Enrolment, and_(
            Enrolment.course_id == Course.id, Enrolment.user_id == viewer_id))
        .where(Course.slug == slug)).first()
    if row is None:
        return None
    course, enrolment = row
    modules = _live_modules([course.id])
    facts_rows = _course_facts([course.id], viewer_id, list(course.prerequisites))
    kinds: dict[str, set[str]] = {"assessment": set(), "checklist": set(), "staff": set(),
                                  "done": set()}
    for kind, value in facts_rows:
        kinds[kind].add(value)
    roles = kinds["staff"]
    if viewer is not None:
        remember_staff_roles(viewer, course.id, roles)
    facts = module_facts(modules, {int(v) for v in kinds["assessment"]},
                         {int(v) for v in kinds["checklist"]})
    missing = [p for p in course.prerequisites if p not in kinds["done"]]
    rows = _progress_rows([viewer_id], modules) if viewer and with_progress else []
    progress = course_progress(facts, progress_facts(rows, modules),
                               course_locked=bool(missing))
    return CourseView(course, modules, facts, enrolment, roles, progress, missing)



@dataclass
class DashboardCourse:
    course: Course
    enrolment: Enrolment
    progress: CourseProgress
    next_module: Module | None
    continue_module: Module | None


def dashboard(user: User) -> list[DashboardCourse]:
    """The learner's courses (active, requested, declined) with progress: four statements."""
    rows = db.session.execute(
        select(Enrolment, Course).join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.user_id == user.id, Enrolment.status != "withdrawn")
        .order_by(Enrolment.requested_at.desc())).all()
    course_ids = [course.id for _, course in rows]
    if not course_ids:
        return []
    modules = _live_modules(course_ids)
    facts_rows = _course_facts(course_ids, user.id, [])
    assessed = {int(v) for k, v in facts_rows if k == "assessment"}
    signed = {int(v) for k, v in facts_rows if k == "checklist"}
    progress_rows = _progress_rows([user.id], modules)
    result = []
    for enrolment, course in rows:
        own = [m for m in modules if m.course_id == course.id]
        summary = course_progress(module_facts(own, assessed, signed),
                                  progress_facts(progress_rows, own))
        by_slug = {m.slug: m for m in own}
        last = next((m for m in own if m.id == enrolment.last_module_id), None)
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
    progress_rows = _progress_rows([user.id for _, user in rows], view.modules)
    by_user: dict[int, list[ModuleProgress]] = {}
    for progress in progress_rows:
        by_user.setdefault(progress.user_id, []).append(progress)
    return [RosterRow(user, enrolment, course_progress(
        view.facts, progress_facts(by_user.get(user.id, []), view.modules)))
        for enrolment, user in rows]
