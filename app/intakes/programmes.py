"""Programmes: a centre's ordered set of courses (its own and those it offers), each with a
modality, the requirement that completes it, and whether it gives a certificate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, union

from app.auth.models import User
from app.centres.models import Centre, CentreCourse
from app.content.models import Course
from app.core.auth import authorize
from app.core.errors import ValidationError, refuse_all
from app.extensions import db
from app.intakes.models import Programme, ProgrammeCourse
from app.intakes.naming import code_and_title_errors
from app.intakes.rules import MODALITIES, ProgrammeLine, Requirement, requirement_problem
from app.records.services import record_event

REQUIREMENT_PROBLEMS = {
    "no_courses": _l("Choose at least one course."),
    "unknown_kind": _l("Choose how the programme is completed."),
    "count_range": _l("Give a number of courses between 1 and the number chosen."),
    "modality_unknown": _l("Give each modality a number of courses of 0 or more."),
    "modality_none": _l("Ask for at least one course of some modality."),
    "modality_short": _l("The programme has fewer courses of a modality than it asks for."),
}


@dataclass(frozen=True)
class ProgrammePlan:
    code: str
    title: str
    description: str = ""
    courses: Sequence[ProgrammeLine] = ()  # in programme order
    requirement: str = "all"
    required_count: int | None = None
    modality_counts: Mapping[str, int] = field(default_factory=dict)
    certificate: bool = True

    @property
    def rule(self) -> Requirement:
        return Requirement(self.requirement, self.required_count, dict(self.modality_counts))


def centre_courses(centre_id: int) -> list[Course]:
    """The courses a programme of the centre may hold: its own and those it offers, by
    title. One statement."""
    ids = union(select(Course.id).where(Course.centre_id == centre_id),
                select(CentreCourse.course_id).where(CentreCourse.centre_id == centre_id))
    return list(db.session.scalars(select(Course).where(Course.id.in_(select(ids.subquery())))
                                   .order_by(Course.title)))


def programme_lines(programme_id: int) -> list[ProgrammeLine]:
    return [ProgrammeLine(row.course_id, row.modality) for row in db.session.execute(
        select(ProgrammeCourse.course_id, ProgrammeCourse.modality)
        .where(ProgrammeCourse.programme_id == programme_id)
        .order_by(ProgrammeCourse.position))]


def requirement_of(programme: Programme) -> Requirement:
    return Requirement(programme.requirement, programme.required_count,
                       dict(programme.modality_counts or {}))


def _check(centre_id: int, plan: ProgrammePlan, programme_id: int | None) -> ProgrammePlan:
    code, title = plan.code.strip(), plan.title.strip()
    errors = code_and_title_errors(Programme, centre_id, code, title, programme_id, (
        _l("Give the programme a short code."),
        _l("Another programme of this centre has this code."),
        _l("Give the programme a title.")))
    allowed = {course.id for course in centre_courses(centre_id)}
    ids = [line.course_id for line in plan.courses]
    if any(i not in allowed for i in ids) or len(set(ids)) != len(ids) \
            or any(line.modality not in MODALITIES for line in plan.courses):
        errors.append(ValidationError(_l("Choose courses of this centre, each once."),
                                      field="courses"))
    else:
        problem = requirement_problem(plan.rule, plan.courses)
        if problem is not None:
            errors.append(ValidationError(REQUIREMENT_PROBLEMS[problem],
                                          field="courses" if problem == "no_courses"
                                          else "requirement"))
    refuse_all(errors)
    counts = {m: n for m, n in plan.modality_counts.items() if n} \
        if plan.requirement == "modality" else {}
    count = plan.required_count if plan.requirement == "n_of_m" else None
    return ProgrammePlan(code, title, plan.description.strip(), list(plan.courses),
                         plan.requirement, count, counts, plan.certificate)


def _write(programme: Programme, plan: ProgrammePlan) -> dict[str, object]:
    programme.code, programme.title, programme.description = plan.code, plan.title, \
        plan.description
    programme.requirement, programme.required_count = plan.requirement, plan.required_count
    programme.modality_counts, programme.certificate = dict(plan.modality_counts), \
        plan.certificate
    db.session.execute(delete(ProgrammeCourse).where(
        ProgrammeCourse.programme_id == programme.id))
    for position, line in enumerate(plan.courses, start=1):
        db.session.add(ProgrammeCourse(programme_id=programme.id, course_id=line.course_id,
                                       position=position, modality=line.modality))
    db.session.flush()
    return {"code": plan.code, "title": plan.title, "requirement": plan.requirement,
            "required_count": plan.required_count, "modality_counts": dict(plan.modality_counts),
            "certificate": plan.certificate,
            "courses": [[line.course_id, line.modality] for line in plan.courses]}


def create_programme(actor: User, centre: Centre, plan: ProgrammePlan,
                     now: datetime) -> Programme:
    authorize(actor, "intakes.manage_centre", centre.id)
    plan = _check(centre.id, plan, None)
    programme = Programme(centre_id=centre.id, code=plan.code, title=plan.title,
                          created_at=now, created_by_id=actor.id)
    db.session.add(programme)
    db.session.flush()
    details = _write(programme, plan)
    record_event("programme.created", actor=actor, now=now, subject_type="programme",
                 subject_id=programme.id, details={"centre": centre.code, **details})
    return programme


def change_programme(actor: User, programme: Programme, plan: ProgrammePlan,
                     now: datetime) -> Programme:
    authorize(actor, "intakes.manage_centre", programme.centre_id)
    plan = _check(programme.centre_id, plan, programme.id)
    details = _write(programme, plan)
    record_event("programme.changed", actor=actor, now=now, subject_type="programme",
                 subject_id=programme.id, details=details)
    return programme
