"""Read-side queries for the assessor's overview and an assessment page: a fixed number of
statements whatever the number of learners."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row as RowOf
from sqlalchemy import func, select

from app.auth.models import User
from app.centres.scope import in_centres, learner_in_centres
from app.content.models import Checklist, Course, Module
from app.extensions import db
from app.learning.models import Enrolment
from app.practicals.models import PracticalAssessment
from app.practicals.services import Standing
from app.records.checks import stream_rows
from app.records.models import Signature
from app.records.replay import Key, Row


@dataclass
class ChecklistOverview:
    checklist: Checklist
    module: Module
    learners: list[tuple[User, Standing]] = field(default_factory=list)

    @property
    def requests(self) -> list[tuple[User, PracticalAssessment]]:
        return [(user, s.pending) for user, s in self.learners
                if s.pending is not None and s.pending.state == "requested"]


def requests_waiting(course_id: int) -> int:
    """Learners of the course who asked to be assessed and wait for it: one statement."""
    return db.session.scalar(
        select(func.count()).select_from(PracticalAssessment)
        .where(PracticalAssessment.course_id == course_id,
               PracticalAssessment.state == "requested")) or 0


def requests_by_course(course_ids: Iterable[int], limit: int,
                       centres: frozenset[int] | None = None) -> list[RowOf[Any]]:
    """Courses of these with learners asking to be assessed, the oldest request first: each
    course's slug, title, count and oldest request; one statement."""
    P = PracticalAssessment
    return list(db.session.execute(
        select(Course.id, Course.slug, Course.title, func.count(P.id).label("waiting"),
               func.min(P.requested_at).label("oldest"))
        .join(P, P.course_id == Course.id)
        .where(P.state == "requested", Course.id.in_(set(course_ids)),
               learner_in_centres(P.course_id, P.learner_id, centres))
        .group_by(Course.id, Course.slug, Course.title)
        .order_by(func.min(P.requested_at), Course.id).limit(limit)))


@dataclass(frozen=True)
class RequestLine:
    assessment: PracticalAssessment
    checklist: Checklist
    module: Module
    course: Course
    learner: User


def requests_for(course_ids: Iterable[int], limit: int,
                 centres: frozenset[int] | None = None) -> list[RequestLine]:
    """The learners asking to be assessed in these courses, the longest waiting first, at
    most `limit` of them: one statement."""
    P = PracticalAssessment
    return [RequestLine(*row) for row in db.session.execute(
        select(P, Checklist, Module, Course, User)
        .join(Checklist, Checklist.id == P.checklist_id)
        .join(Module, Module.id == P.module_id)
        .join(Course, Course.id == P.course_id)
        .join(User, User.id == P.learner_id)
        .where(P.state == "requested", P.course_id.in_(set(course_ids)),
               learner_in_centres(P.course_id, P.learner_id, centres))
        .order_by(P.requested_at, P.id).limit(limit))]


def course_overview(course: Course, centres: frozenset[int] | None = None
                    ) -> list[ChecklistOverview]:
    """Every live checklist of the course with the standing of each active learner who
    enrolled through `centres` (None: every centre)."""
    overviews = [ChecklistOverview(c, m) for c, m in db.session.execute(
        select(Checklist, Module).join(Module, Module.id == Checklist.module_id)
        .where(Checklist.course_id == course.id, Checklist.archived_at.is_(None),
               Module.archived_at.is_(None))
        .order_by(Module.position, Checklist.position))]
    if not overviews:
        return overviews
    learners = list(db.session.scalars(
        select(User).join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.course_id == course.id, Enrolment.status == "active",
               in_centres(Enrolment.centre_id, centres))
        .order_by(User.name, User.id)))
    by_pair: dict[tuple[int, int], list[PracticalAssessment]] = defaultdict(list)
    for assessment in db.session.scalars(select(PracticalAssessment).where(
            PracticalAssessment.course_id == course.id).order_by(PracticalAssessment.id)):
        by_pair[(assessment.checklist_id, assessment.learner_id)].append(assessment)
    for overview in overviews:
        overview.learners = [
            (user, Standing(by_pair[(overview.checklist.id, user.id)], overview.module.version,
                            overview.checklist.attempts)) for user in learners]
    return overviews


@dataclass
class AssessmentPage:
    assessment: PracticalAssessment
    checklist: Checklist
    module: Module
    course: Course
    learner: User
    assessor: User | None
    signature: Signature | None


def assessment_page(assessment_id: int) -> AssessmentPage | None:
    row = db.session.execute(
        select(PracticalAssessment, Checklist, Module, Course, User)
        .join(Checklist, Checklist.id == PracticalAssessment.checklist_id)
        .join(Module, Module.id == PracticalAssessment.module_id)
        .join(Course, Course.id == PracticalAssessment.course_id)
        .join(User, User.id == PracticalAssessment.learner_id)
        .where(PracticalAssessment.id == assessment_id)).first()
    if row is None:
        return None
    assessment, checklist, module, course, learner = row
    assessor = db.session.get(User, assessment.assessor_id) if assessment.assessor_id else None
    signature = (db.session.get(Signature, assessment.signature_id)
                 if assessment.signature_id else None)
    return AssessmentPage(assessment, checklist, module, course, learner, assessor, signature)


# --- what records verify reads (registered in this feature's init_app) --------------------


def practical_rows() -> Iterator[tuple[Key, Row]]:
    """The records' reader of "practical_assessments": state and outcome."""
    P = PracticalAssessment
    for row in stream_rows(select(P.id, P.learner_id, P.state, P.competent, P.percent)
                           .order_by(P.id)):
        yield (row.id,), {"id": row.id, "user_id": row.learner_id, "state": row.state,
                          "competent": row.competent, "percent": row.percent}
