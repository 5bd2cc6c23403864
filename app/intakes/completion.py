"""Completing an intake: when a learner's completed courses meet their programme's
requirement, the learner completes the intake and, if the programme gives one, receives
the programme certificate. Called from learning's course-completed hooks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.auth.models import User
from app.certificates.services import issue_programme_certificate
from app.extensions import db
from app.intakes.models import Intake, IntakeMember, Programme, ProgrammeCourse
from app.intakes.programmes import programme_lines, requirement_of
from app.intakes.rules import requirement_covers, requirement_met
from app.learning.models import Enrolment
from app.records.services import record_event


def on_course_completed(learner: User, enrolment: Enrolment, now: datetime) -> None:
    """One statement for a learner in no open intake whose programme has the course."""
    rows = db.session.execute(
        select(IntakeMember, Intake, Programme)
        .join(Intake, Intake.id == IntakeMember.intake_id)
        .join(Programme, Programme.id == Intake.programme_id)
        .join(ProgrammeCourse, ProgrammeCourse.programme_id == Programme.id)
        .where(IntakeMember.user_id == learner.id, IntakeMember.completed_at.is_(None),
               ProgrammeCourse.course_id == enrolment.course_id)).all()
    for member, intake, programme in rows:
        complete_if_met(learner, member, intake, programme, now)


def completed_course_ids(learner: User) -> set[int]:
    return set(db.session.scalars(select(Enrolment.course_id).where(
        Enrolment.user_id == learner.id, Enrolment.completed_at.is_not(None))))


def complete_if_met(learner: User, member: IntakeMember, intake: Intake, programme: Programme,
                    now: datetime) -> bool:
    """Complete the intake if the programme's requirement is met; whether it was."""
    if member.completed_at is not None:
        return True
    lines = programme_lines(programme.id)
    requirement = requirement_of(programme)
    done = completed_course_ids(learner)
    if not requirement_met(requirement, lines, done):
        return False
    member.completed_at = now
    counted = [line.course_id for line in requirement_covers(requirement, lines)
               if line.course_id in done]
    record_event("intake.completed", actor=None, automatic=True, now=now, subject_type="intake",
                 subject_id=intake.id, learner_id=learner.id,
                 details={"intake": intake.code, "programme": programme.code,
                          "requirement": programme.requirement, "courses": counted})
    if programme.certificate:
        issue_programme_certificate(learner, intake_id=intake.id, title=programme.title,
                                    course_ids=counted, completed_at=now, now=now)
    return True
