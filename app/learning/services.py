"""Enrolment, progress and completion. Each change writes its event to the audit chain."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Protocol

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from app.auth.models import User
from app.centres.scope import administers_course, in_centres, staff_centre_ids
from app.content.models import Course, Module
from app.core.auth import authorize
from app.core.errors import DomainError, PermissionDenied, ValidationError
from app.core.registry import Hooks, Registry
from app.core.roles import Role
from app.extensions import db
from app.learning import notices
from app.learning.models import CourseStaff, Enrolment, ModuleProgress
from app.learning.outline import CourseOutline, ModuleInfo, progress_by_slug
from app.learning.queries import (
    COURSE_PROGRESS,
    ENROLMENT,
    OWN_MODULE_PROGRESS,
    STAFF_ROLES,
    VERSION_SINCE,
    CourseView,
    Standing,
    completed_versions,
    course_outline,
    read_standing,
)
from app.learning.rules import (
    ProgressFacts,
    State,
    course_progress,
    requirements_text,
    unmet_requirements,
)
from app.records.services import record_event

# How each completion requirement other than "read" is checked, registered by the feature
# that owns it in its init_app: (learner, module, since) -> met, where only evidence at or
# after `since` (when the module's current version arrived) counts, so that retraining needs
# fresh evidence.
RequirementCheck = Callable[[User, Module, datetime], bool]
REQUIREMENT_CHECKS: Registry[RequirementCheck] = Registry("requirement checks")

# Called once when a learner completes a course (certificates add one).
CourseCompletedHook = Callable[[User, Enrolment, datetime], None]
COURSE_COMPLETED_HOOKS: Hooks[CourseCompletedHook] = Hooks("course completed hooks")


# --- who may do what ----------------------------------------------------------------------


def staff_roles(user: User, course_id: int, view: CourseView | None = None) -> frozenset[str]:
    """The user's roles on the course's staff: one statement, or none when the page hands
    over the course `view` it read for this user (it read the roles with the viewer's other
    rows). A view read for someone else, or of another course, is read again, not believed."""
    if view is not None and view.viewer_id == user.id and view.course.id == course_id:
        return view.staff_roles
    return frozenset(db.session.execute(STAFF_ROLES, {"course": course_id,
                                                      "user": user.id}).scalars())


# A course policy's object: the course, its outline, or the page's view of it for the actor.
CourseLike = Course | CourseOutline | CourseView


def course_roles(actor: User, course: CourseLike) -> frozenset[str]:
    """The actor's roles on a course policy's object: from the page's view, when it is one
    read for the actor, else read (one statement)."""
    if isinstance(course, CourseView):
        return staff_roles(actor, course.course.id, view=course)
    return staff_roles(actor, course.id)


def _course_id(course: CourseLike) -> int:
    return course.course.id if isinstance(course, CourseView) else course.id


def may_manage(actor: User, course: CourseLike) -> bool:
    """Decide enrolment requests, see the roster: the course's instructors, the network
    administrator, and the administrators of a centre whose catalogue holds the course.
    Which learners each sees is their centres' (centres.scope)."""
    return (actor.has_role(Role.ADMIN) or "instructor" in course_roles(actor, course)
            or administers_course(actor, _course_id(course)))


def may_preview(actor: User, course: CourseLike) -> bool:
    """Open any module without enrolling and read facilitator notes: staff and admins."""
    return (actor.has_role(Role.ADMIN) or bool(course_roles(actor, course))
            or administers_course(actor, _course_id(course)))


def may_view_record(actor: User, learner: User) -> bool:
    """A training record is open to the learner, the network administrator, and the staff
    of a centre through which the learner enrolled: its centre administrators and programme
    officers, and its instructors or assessors on that course's staff."""
    if actor.id == learner.id or actor.has_role(Role.ADMIN):
        return True
    ids = staff_centre_ids(actor)
    if not ids:
        return False
    centre_wide = staff_centre_ids(actor, "centre_admin", "programme_officer") or frozenset()
    on_staff = select(CourseStaff.course_id).where(CourseStaff.user_id == actor.id)
    return db.session.scalar(
        select(Enrolment.id).where(
            Enrolment.user_id == learner.id, Enrolment.centre_id.in_(sorted(ids)),
            or_(Enrolment.centre_id.in_(sorted(centre_wide)),
                Enrolment.course_id.in_(on_staff))).limit(1)
    ) is not None


def may_assign(actor: User, _course: CourseLike) -> bool:
    return actor.has_role(Role.ADMIN)


# --- staff ----------------------------------------------------------------------------------


def assign_staff(actor: User, course: Course, user: User, role: str, now: datetime) -> bool:
    authorize(actor, "course.assign_staff", course)
    needed = Role.INSTRUCTOR if role == "instructor" else Role.ASSESSOR
    if role not in ("instructor", "assessor"):
        raise ValidationError(_("Choose instructor or assessor."), field="role")
    if not user.has_role(needed):
        raise ValidationError(_("%(name)s does not hold the %(role)s role.", name=user.name,
                                role=needed.label), field="email")
    if role in staff_roles(user, course.id):
        return False
    db.session.add(CourseStaff(course_id=course.id, user_id=user.id, role=role,
                               assigned_at=now))
    record_event("course.staff_assigned", actor=actor, now=now, subject_type="user",
                 subject_id=user.id, course_id=course.id, details={"role": role})
    return True


def add_author_as_instructor(actor: User | None, course: Course, author: User,
                             now: datetime) -> None:
    """The instructor who brought a course in through the browser teaches it once it is
    published, so that they can go on editing it (authoring calls this on publish)."""
    if not author.has_role(Role.INSTRUCTOR) or "instructor" in staff_roles(author, course.id):
        return
    db.session.add(CourseStaff(course_id=course.id, user_id=author.id, role="instructor",
                               assigned_at=now))
    record_event("course.staff_assigned", actor=actor, now=now, subject_type="user",
                 subject_id=author.id, course_id=course.id,
                 details={"role": "instructor", "why": "brought the course in"})


def remove_staff(actor: User, course: Course, user: User, role: str, now: datetime) -> None:
    authorize(actor, "course.assign_staff", course)
    row = db.session.get(CourseStaff, (course.id, user.id, role))
    if row is not None:
        db.session.delete(row)
        record_event("course.staff_removed", actor=actor, now=now, subject_type="user",
                     subject_id=user.id, course_id=course.id, details={"role": role})


# --- enrolment ------------------------------------------------------------------------------


def find_enrolment(user: User, course: Course) -> Enrolment | None:
    return db.session.scalar(select(Enrolment).where(
        Enrolment.user_id == user.id, Enrolment.course_id == course.id))


def _enrolment_event(action: str, actor: User, enrolment: Enrolment, now: datetime,
                     reason: str = "", details: dict[str, object] | None = None) -> None:
    record_event(action, actor=actor, now=now, subject_type="enrolment",
                 subject_id=enrolment.id, course_id=enrolment.course_id,
                 learner_id=enrolment.user_id, reason=reason, details=details)


def enrol(learner: User, course: Course, now: datetime, centre_id: int | None = None
          ) -> Enrolment:
    """Open courses enrol at once; `enrolment: approval` courses create a request. The
    enrolment is recorded at `centre_id` (the catalogue it came through), by default the
    course's own centre."""
    enrolment = find_enrolment(learner, course)
    if enrolment is not None and enrolment.status in ("active", "requested"):
        return enrolment
    if enrolment is None:
        enrolment = Enrolment(course_id=course.id, user_id=learner.id, status="requested",
                              requested_at=now, centre_id=centre_id or course.centre_id)
        db.session.add(enrolment)
    elif centre_id is not None:
        enrolment.centre_id = centre_id  # back, through this centre's catalogue
    enrolment.requested_at, enrolment.withdrawn_at = now, None
    enrolment.decided_at, enrolment.decided_by_id, enrolment.decision_reason = None, None, ""
    db.session.flush()
    if course.enrolment == "approval":
        enrolment.status = "requested"
        _enrolment_event("enrolment.requested", learner, enrolment, now)
        notices.tell_request(learner, course, now)
    else:
        enrolment.status, enrolment.enrolled_at = "active", now
        _enrolment_event("enrolment.created", learner, enrolment, now, details={"how": "open"})
    return enrolment


def enrol_at_once(actor: User, learner: User, course: Course, now: datetime, *,
                  centre_id: int, how: str) -> Enrolment:
    """Staff enrol a learner without a request, whatever the course's enrolment setting (an
    intake's learners join every course of its programme at once): `how` says by what."""
    enrolment = find_enrolment(learner, course)
    if enrolment is not None and enrolment.status == "active":
        return enrolment
    if enrolment is None:
        enrolment = Enrolment(course_id=course.id, user_id=learner.id, status="active",
                              requested_at=now, centre_id=centre_id)
        db.session.add(enrolment)
    enrolment.status, enrolment.enrolled_at, enrolment.withdrawn_at = "active", now, None
    enrolment.decided_at, enrolment.decided_by_id = now, actor.id
    enrolment.decision_reason = ""
    db.session.flush()
    _enrolment_event("enrolment.created", actor, enrolment, now, details={"how": how})
    return enrolment


def decide_enrolment(actor: User, enrolment: Enrolment, course: Course, *, accept: bool,
                     reason: str, now: datetime) -> None:
    authorize(actor, "course.manage", course)
    _decide(actor, enrolment, accept=accept, reason=reason, now=now)


def decide_enrolments(actor: User, course: Course, reasons: Mapping[int, str], *,
                      accept: bool, now: datetime) -> int:
    """Accept or decline several requests to join the course at once, `reasons` by
    enrolment id (each required to decline: the learner sees it). One event per learner;
    a request that is not the course's, decided already or declined without a reason
    refuses the whole batch before anything changes. Returns how many were decided."""
    authorize(actor, "course.manage", course)
    if not reasons:
        raise ValidationError(_("Tick the requests to accept or decline."), field="requests")
    enrolments = db.session.scalars(select(Enrolment).where(
        Enrolment.id.in_(set(reasons)), Enrolment.course_id == course.id,
        in_centres(Enrolment.centre_id, staff_centre_ids(actor)))
        .order_by(Enrolment.requested_at, Enrolment.id)).all()
    if len(enrolments) != len(reasons):
        raise DomainError(_("Some of these requests are not for this course; nothing changed."))
    if any(enrolment.status != "requested" for enrolment in enrolments):
        raise DomainError(_("Some of these requests have been decided already (by someone "
                            "else, or in another tab); nothing changed. Look at them again."))
    if not accept and not all(reason.strip() for reason in reasons.values()):
        raise ValidationError(_("Say why each request is declined; the learner will see it."),
                              field="reason")
    for enrolment in enrolments:
        _decide(actor, enrolment, accept=accept, reason=reasons[enrolment.id], now=now)
    return len(enrolments)


def _decide(actor: User, enrolment: Enrolment, *, accept: bool, reason: str,
            now: datetime) -> None:
    if enrolment.status != "requested":
        raise DomainError(_("This request has been decided already."))
    if not accept and not reason.strip():
        raise ValidationError(_("Say why the request is declined; the learner will see it."),
                              field="reason")
    enrolment.decided_at, enrolment.decided_by_id = now, actor.id
    enrolment.decision_reason = reason.strip()
    if accept:
        enrolment.status, enrolment.enrolled_at = "active", now
        _enrolment_event("enrolment.created", actor, enrolment, now, reason,
                         {"how": "request accepted"})
    else:
        enrolment.status = "declined"
        _enrolment_event("enrolment.declined", actor, enrolment, now, reason)
    notices.tell_decision(enrolment, accepted=accept, now=now)


def withdraw(learner: User, enrolment: Enrolment, now: datetime) -> None:
    """Leave a course. Progress and records stay; enrolling again picks them up."""
    if enrolment.user_id != learner.id:
        raise PermissionDenied("not your enrolment")
    if enrolment.status not in ("active", "requested"):
        return
    enrolment.status, enrolment.withdrawn_at = "withdrawn", now
    _enrolment_event("enrolment.withdrawn", learner, enrolment, now)


# --- progress -------------------------------------------------------------------------------


def record_view(learner: User, enrolment: Enrolment, module: Module, now: datetime) -> bool:
    """Note that the learner opened the module. Returns whether anything was written."""
    progress = db.session.execute(OWN_MODULE_PROGRESS, {
        "learner": learner.id, "module": module.id}).scalar_one_or_none()
    changed = enrolment.last_module_id != module.id
    enrolment.last_module_id = module.id
    if progress is None:
        db.session.add(ModuleProgress(user_id=learner.id, module_id=module.id,
                                      first_viewed_at=now))
        record_event("module.started", actor=learner, now=now, subject_type="module",
                     subject_id=module.id, course_id=module.course_id, learner_id=learner.id,
                     details={"module": module.slug, "version": module.version})
        changed = True
    return changed


# --- where a learner stands ------------------------------------------------------------------

LOCKED_MESSAGE = _l("This module is locked: finish its prerequisites first.")


class LearnerStanding(Protocol):
    """What a module's state is worked out from: the course as of one generation, whose rows
    these are, the courses they have completed and their progress in this one. The course
    view a page built is one (`learning.queries.CourseView`); `read_standing` reads another."""

    @property
    def viewer_id(self) -> int | None: ...
    @property
    def course(self) -> CourseOutline: ...
    @property
    def completed_courses(self) -> frozenset[str]: ...
    @property
    def module_progress(self) -> Mapping[str, ProgressFacts]: ...


def _standing_of(learner: User, course_id: int, view: LearnerStanding | None
                 ) -> LearnerStanding:
    """What the page read, when it read it for this learner and this course; else read now
    (two statements). Only the viewer's own rows are trusted: a view of another learner or
    course is read again rather than believed."""
    if view is not None and view.viewer_id == learner.id and view.course.id == course_id:
        return view
    return read_standing(learner.id, course_outline(course_id))


def _live_module(course: CourseOutline, module_id: int) -> ModuleInfo:
    live = next((m for m in course.modules if m.id == module_id), None)
    if live is None:
        raise DomainError(_("This module is no longer part of the course."))
    return live


def _state_in(standing: LearnerStanding, module: ModuleInfo) -> State:
    """The module's state by the same rules the course page shows: its prerequisites, the
    course's prerequisite courses, and the learner's progress."""
    course = standing.course
    course_locked = any(p not in standing.completed_courses for p in course.prerequisites)
    return course_progress(course.facts, standing.module_progress,
                           course_locked=course_locked).states[module.slug]


def module_state_for(learner: User, course_id: int, module_id: int,
                     view: LearnerStanding | None = None) -> State:
    """The learner's state on a live module, worked out from the database, or from what a
    page read this request when it hands over its `view`."""
    standing = _standing_of(learner, course_id, view)
    return _state_in(standing, _live_module(standing.course, module_id))


def require_unlocked(learner: User, course_id: int, module_id: int,
                     view: LearnerStanding | None = None) -> None:
    """Refuse work on a module whose prerequisites the learner has not finished."""
    if module_state_for(learner, course_id, module_id, view) == State.LOCKED:
        raise DomainError(str(LOCKED_MESSAGE))


# --- completion ---------------------------------------------------------------------------


def complete_module(learner: User, module: Module, now: datetime, *, via: str = "read",
                    view: LearnerStanding | None = None) -> bool:
    """Complete a module through one of its requirements (`via`), unless it is locked.

    Whether it is locked is worked out here from the module's prerequisites and the
    learner's progress, never taken from the caller: `view` only saves reading again what
    the page read this request for the same learner and course.
    The module completes when every other requirement is met too (a workshop with an
    assessment needs the attendance as well); otherwise nothing is written and this returns
    False. Features call this with via="assessment", "attendance" or "sign_off".
    """
    standing = _standing_of(learner, module.course_id, view)
    live = _live_module(standing.course, module.id)
    if _state_in(standing, live) == State.LOCKED:
        raise DomainError(str(LOCKED_MESSAGE))
    requirements = live.requirements
    if via not in requirements:
        raise DomainError(requirements_text(requirements))
    since = _current_version_since(module)
    met = {via} | {r for r in requirements
                   if r != via and r != "read"
                   and REQUIREMENT_CHECKS.get(r)(learner, module, since)}
    if unmet_requirements(requirements, met):
        return False
    progress = db.session.execute(OWN_MODULE_PROGRESS, {
        "learner": learner.id, "module": module.id}).scalar_one_or_none()
    if progress is None:
        progress = ModuleProgress(user_id=learner.id, module_id=module.id,
                                  first_viewed_at=now)
        db.session.add(progress)
    if progress.completed_version == module.version:
        return True
    retraining = progress.completed_version is not None
    progress.completed_at, progress.completed_version = now, module.version
    record_event("module.completed", actor=learner, now=now, subject_type="module",
                 subject_id=module.id, course_id=module.course_id, learner_id=learner.id,
                 details={"module": module.slug, "title": module.title,
                          "version": module.version, "via": via, "retraining": retraining})
    db.session.flush()
    _complete_course_if_done(learner, module.course_id, now)
    _complete_unlocked(learner, standing, live, now)
    return True


def _complete_unlocked(learner: User, before: LearnerStanding, done: ModuleInfo,
                       now: datetime) -> None:
    """Evidence that came while a module was locked (attendance at its session, a pass
    released after its prerequisites changed) completes it once its prerequisites are done,
    so that the learner is not left with a pass that can never count."""
    after = Standing(learner.id, before.course, frozenset(), before.completed_courses,
                     {**before.module_progress, done.slug: ProgressFacts(True, done.version)})
    for waiting in before.course.modules:
        if (done.slug not in waiting.prerequisites or "read" in waiting.requirements
                or _state_in(before, waiting) != State.LOCKED
                or _state_in(after, waiting) == State.LOCKED):
            continue
        row = db.session.get(Module, waiting.id)
        assert row is not None
        since = _current_version_since(row)
        if all(REQUIREMENT_CHECKS.get(r)(learner, row, since) for r in waiting.requirements):
            complete_module(learner, row, now, via=waiting.requirements[0], view=after)


def _current_version_since(module: Module) -> datetime:
    recorded = db.session.execute(VERSION_SINCE, {"module": module.id,
                                                   "version": module.version}).scalar()
    return recorded if recorded is not None else module.created_at


def _complete_course_if_done(learner: User, course_id: int, now: datetime) -> None:
    enrolment = db.session.execute(ENROLMENT, {"learner": learner.id, "course": course_id}
                                   ).scalar_one_or_none()
    if enrolment is None or enrolment.completed_at is not None:
        return
    course = course_outline(course_id)
    done = completed_versions(db.session.execute(COURSE_PROGRESS, {"learner": learner.id,
                                                                   "course": course_id}))
    summary = course_progress(course.facts, progress_by_slug(done, course.modules))
    if summary.complete:
        enrolment.completed_at = now
        _enrolment_event("course.completed", learner, enrolment, now,
                         details={"modules": sorted(summary.states)})
        for hook in COURSE_COMPLETED_HOOKS.all():
            hook(learner, enrolment, now)


def flag_retraining(module: Module, old_version: int, now: datetime) -> None:
    """After an import raises a module's version, record that earlier completions need
    retraining. The completions themselves stay in the chain."""
    rows = db.session.scalars(select(ModuleProgress).where(
        ModuleProgress.module_id == module.id, ModuleProgress.completed_version.is_not(None),
        ModuleProgress.completed_version < module.version))
    for row in rows:
        record_event("module.retraining_due", actor=None, now=now, subject_type="module",
                     subject_id=module.id, course_id=module.course_id, learner_id=row.user_id,
                     details={"module": module.slug, "completed_version": row.completed_version,
                              "new_version": module.version})
