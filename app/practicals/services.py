"""Hands-on assessments: requested, opened, marked item by item, signed by an assessor.

A signed assessment is final: a new attempt is a new assessment, and all stay on record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from app.auth.models import User
from app.centres.scope import sees_learner
from app.content.models import Checklist, Course, Module
from app.core.auth import authorize
from app.core.errors import DomainError, PermissionDenied, ValidationError
from app.core.roles import Role
from app.extensions import db
from app.learning.models import Enrolment
from app.learning.rules import State
from app.learning.services import (
    CourseLike,
    complete_module,
    course_roles,
    module_state_for,
    staff_roles,
)
from app.practicals import notices
from app.practicals.models import PracticalAssessment, PracticalMark
from app.practicals.rules import MARKS, Item, Outcome, outcome
from app.quizzes.rules import remaining_attempts
from app.records.services import record_event
from app.records.signatures import Refused, sign

# --- who may do what ----------------------------------------------------------------------


def may_assess(actor: User, course: CourseLike) -> bool:
    """Only assessors assigned to the course observe, mark and sign."""
    return "assessor" in course_roles(actor, course)


def may_view(actor: User, assessment: PracticalAssessment) -> bool:
    return (actor.id == assessment.learner_id or actor.has_role(Role.ADMIN)
            or (bool(staff_roles(actor, assessment.course_id))
                and sees_learner(actor, assessment.course_id, assessment.learner_id)))


# --- the state of one learner on one checklist ------------------------------------------------


def _assessments(learner_id: int, checklist_id: int) -> list[PracticalAssessment]:
    return list(db.session.scalars(select(PracticalAssessment).where(
        PracticalAssessment.learner_id == learner_id,
        PracticalAssessment.checklist_id == checklist_id).order_by(PracticalAssessment.id)))


@dataclass(frozen=True)
class Standing:
    """Where a learner stands on a checklist: what may happen next."""

    assessments: list[PracticalAssessment]
    module_version: int
    allowed: int  # 0 = unlimited

    @property
    def pending(self) -> PracticalAssessment | None:
        return next((a for a in self.assessments if a.state != "signed"), None)

    @property
    def signed(self) -> list[PracticalAssessment]:
        return [a for a in self.assessments if a.state == "signed"]

    @property
    def competent(self) -> bool:
        return any(a.competent and a.module_version >= self.module_version for a in self.signed)

    @property
    def attempts_left(self) -> int | None:
        return remaining_attempts(self.allowed, len(self.signed))

    def refusal(self, *, to_learner: bool = False) -> str | None:
        """Why no new assessment can start, or None; `to_learner`: said to the learner."""
        if self.competent:
            return (_("You have been assessed competent already.") if to_learner else
                    _("The learner has been assessed competent already."))
        if self.attempts_left == 0:
            return ngettext("The %(num)d attempt allowed is used: the course's instructors "
                            "decide on further training.",
                            "All %(num)d attempts are used: the course's instructors decide "
                            "on further training.", self.allowed)
        return None


def standing(learner_id: int, checklist: Checklist, module: Module) -> Standing:
    return Standing(_assessments(learner_id, checklist.id), module.version, checklist.attempts)


def _enrolled(learner_id: int, course_id: int) -> bool:
    return db.session.scalar(select(Enrolment.id).where(
        Enrolment.user_id == learner_id, Enrolment.course_id == course_id,
        Enrolment.status == "active")) is not None


def _event(action: str, actor: User, assessment: PracticalAssessment, checklist: Checklist,
           now: datetime, **details: Any) -> None:
    record_event(action, actor=actor, now=now, subject_type="practical_assessment",
                 subject_id=assessment.id, course_id=assessment.course_id,
                 learner_id=assessment.learner_id,
                 details={"checklist": checklist.slug, "number": assessment.number, **details})


def _module_of(checklist: Checklist) -> Module:
    module = db.session.get(Module, checklist.module_id)
    if module is None or module.archived_at is not None or checklist.archived_at is not None:
        raise DomainError(_("This checklist is no longer part of the course."))
    return module


# --- the learner asks ------------------------------------------------------------------------


def request_assessment(learner: User, checklist: Checklist, now: datetime) -> PracticalAssessment:
    if not _enrolled(learner.id, checklist.course_id):
        raise DomainError(_("Enrol in the course to ask for an assessment."))
    current = standing(learner.id, checklist, _module_of(checklist))
    if current.pending is not None:
        return current.pending
    if (reason := current.refusal(to_learner=True)) is not None:
        raise DomainError(reason)
    assessment = PracticalAssessment(
        checklist_id=checklist.id, course_id=checklist.course_id, module_id=checklist.module_id,
        learner_id=learner.id, state="requested", requested_at=now)
    db.session.add(assessment)
    db.session.flush()
    _event("practical.requested", learner, assessment, checklist, now)
    notices.tell_request(learner, checklist, now)
    return assessment


# --- the assessor observes, marks and signs ------------------------------------------------


def open_assessment(actor: User, checklist: Checklist, learner: User,
                    now: datetime) -> PracticalAssessment:
    """Start observing: answers the learner's request if there is one."""
    course = db.session.get(Course, checklist.course_id)
    authorize(actor, "practical.assess", course)
    module = _module_of(checklist)
    if not sees_learner(actor, checklist.course_id, learner.id):
        raise PermissionDenied("not a learner of the assessor's centres")
    if not _enrolled(learner.id, checklist.course_id):
        raise DomainError(_("%(name)s is not enrolled in this course.", name=learner.name))
    current = standing(learner.id, checklist, module)
    pending = current.pending
    if pending is not None and pending.state == "open":
        return pending
    if (reason := current.refusal()) is not None:
        raise DomainError(reason)
    assessment = pending or PracticalAssessment(
        checklist_id=checklist.id, course_id=checklist.course_id, module_id=checklist.module_id,
        learner_id=learner.id)
    numbered = db.session.scalar(select(func.count()).select_from(PracticalAssessment).where(
        PracticalAssessment.checklist_id == checklist.id,
        PracticalAssessment.learner_id == learner.id,
        PracticalAssessment.number.is_not(None))) or 0
    assessment.number, assessment.state = numbered + 1, "open"
    assessment.opened_at, assessment.assessor_id = now, actor.id
    assessment.items = [{"key": i.key, "section": i.section, "text_html": i.text_html,
                         "critical": i.critical} for i in checklist.items]
    assessment.pass_percent, assessment.module_version = checklist.pass_percent, module.version
    db.session.add(assessment)
    db.session.flush()
    _event("practical.opened", actor, assessment, checklist, now,
           answered_request=pending is not None)
    return assessment


@dataclass(frozen=True)
class ItemMark:
    mark: str
    note: str = ""


def current_marks(assessment: PracticalAssessment) -> dict[str, PracticalMark]:
    return {m.item_key: m for m in db.session.scalars(select(PracticalMark).where(
        PracticalMark.assessment_id == assessment.id))}


def assessment_outcome(assessment: PracticalAssessment,
                       marks: dict[str, PracticalMark] | None = None) -> Outcome:
    marks = current_marks(assessment) if marks is None else marks
    return outcome([Item(i["key"], i["critical"]) for i in assessment.items],
                   {k: m.mark for k, m in marks.items()}, assessment.pass_percent)


def _open_for(actor: User, assessment: PracticalAssessment) -> None:
    authorize(actor, "practical.assess", db.session.get(Course, assessment.course_id))
    if not sees_learner(actor, assessment.course_id, assessment.learner_id):
        raise PermissionDenied("not a learner of the assessor's centres")
    if assessment.state != "open":
        raise DomainError(_("This assessment is signed: it cannot change. Start a new "
                            "attempt."))


def save_marks(actor: User, assessment: PracticalAssessment, marks: dict[str, ItemMark],
               now: datetime) -> Outcome:
    """Store the marks given so far; the outcome follows from them."""
    _open_for(actor, assessment)
    keys = {i["key"] for i in assessment.items}
    # Every mark is checked before any is stored: a batch ("the others met") is whole or
    # not at all.
    if any(key not in keys for key in marks):
        raise ValidationError(_("An item that is not on this checklist was marked."))
    if any(given.mark not in MARKS for given in marks.values()):
        raise ValidationError(_("Mark each item met, not met or not applicable."))
    stored = current_marks(assessment)
    for key, given in marks.items():
        row = stored.get(key)
        if row is None:
            row = stored[key] = PracticalMark(assessment_id=assessment.id, item_key=key,
                                              mark=given.mark, marked_at=now)
            db.session.add(row)
        elif (row.mark, row.note) != (given.mark, given.note.strip()):
            row.marked_at = now
        row.mark, row.note = given.mark, given.note.strip()
    db.session.flush()
    return assessment_outcome(assessment, stored)


def sign_assessment(actor: User, assessment: PracticalAssessment, *, password: str,
                    now: datetime) -> Outcome | Refused:
    """Sign the outcome of a fully marked checklist. A competent outcome completes the module
    (with its other requirements met). A wrong password is recorded and returned (`Refused`),
    and the assessment stays as it was. A module still locked for the learner is not
    signed off at all: a pass there would complete nothing, yet close the checklist."""
    _open_for(actor, assessment)
    marks = current_marks(assessment)
    result = assessment_outcome(assessment, marks)
    if not result.complete:
        raise ValidationError(ngettext("Mark every item before signing: %(num)d not marked yet.",
                                       "Mark every item before signing: %(num)d not marked yet.",
                                       len(result.unmarked)))
    checklist = db.session.get(Checklist, assessment.checklist_id)
    learner = db.session.get(User, assessment.learner_id)
    module = db.session.get(Module, assessment.module_id)
    assert checklist is not None and learner is not None
    live = module is not None and module.archived_at is None
    if live and module_state_for(learner, assessment.course_id, assessment.module_id
                                 ) == State.LOCKED:
        raise DomainError(_("This module is still locked for %(name)s: they finish its "
                            "prerequisites first, then it can be signed off.", name=learner.name))
    content = {
        "assessment": assessment.id, "learner": learner.name, "checklist": checklist.slug,
        "number": assessment.number, "module_version": assessment.module_version,
        "pass_percent": assessment.pass_percent, "competent": result.competent,
        "percent": result.percent,
        "items": [{"key": i["key"], "critical": i["critical"], "mark": marks[i["key"]].mark,
                   "note": marks[i["key"]].note} for i in assessment.items],
    }
    signature = sign(actor, password=password, meaning=result.meaning,
                     subject_type="practical_assessment", subject_id=assessment.id,
                     content=content, now=now, course_id=assessment.course_id,
                     learner_id=assessment.learner_id)
    if isinstance(signature, Refused):
        return signature
    assessment.state, assessment.signed_at, assessment.signature_id = "signed", now, signature.id
    assessment.competent, assessment.percent = result.competent, result.percent
    assessment.assessor_id = actor.id
    db.session.flush()
    _event("practical.assessed", actor, assessment, checklist, now, competent=result.competent,
           percent=result.percent, meaning=result.meaning, signature=signature.id)
    notices.tell_signoff(learner, actor, checklist, competent=result.competent, now=now)
    if result.competent and module is not None and live:
        complete_module(learner, module, now, via="sign_off")
    return result


def signed_off(learner: User, module: Module, since: datetime) -> bool:
    """Every live checklist of the module has a competent, signed assessment since `since`."""
    checklist_ids = set(db.session.scalars(select(Checklist.id).where(
        Checklist.module_id == module.id, Checklist.archived_at.is_(None))))
    passed = set(db.session.scalars(select(PracticalAssessment.checklist_id).where(
        PracticalAssessment.learner_id == learner.id,
        PracticalAssessment.checklist_id.in_(checklist_ids),
        PracticalAssessment.competent.is_(True), PracticalAssessment.signed_at >= since)))
    return checklist_ids <= passed
