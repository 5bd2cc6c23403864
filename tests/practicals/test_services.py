"""Hands-on assessments without HTTP: opening, marking, signing, attempts, completion."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.classroom.services import Mark, record_attendance, register_for_session
from app.core.errors import DomainError, PermissionDenied, ValidationError
from app.extensions import db
from app.learning.models import Enrolment, ModuleProgress
from app.practicals.models import PracticalAssessment
from app.practicals.rules import Outcome
from app.practicals.services import (
    ItemMark,
    open_assessment,
    request_assessment,
    save_marks,
    sign_assessment,
)
from app.records.models import Event, Signature
from app.records.services import verify_chain
from app.records.signatures import Refused
from tests.blended import Gxp, complete_virtual_parts, unlock_gowning
from tests.conftest import DEFAULT_PASSWORD

SESSION_DAY = datetime(2026, 3, 9, 0, 0, tzinfo=UTC)


def mark_all(assessment: PracticalAssessment, *, not_met: tuple[str, ...] = ()) -> dict:
    return {i["key"]: ItemMark("not_met" if i["key"] in not_met else "met", f"note {i['key']}")
            for i in assessment.items}


def done(gxp: Gxp, learner_id: int) -> bool:
    return db.session.scalar(select(ModuleProgress.completed_version).where(
        ModuleProgress.user_id == learner_id,
        ModuleProgress.module_id == gxp.gowning.id)) is not None


def test_a_signed_pass_with_attendance_completes_the_module_and_course(gxp: Gxp,
                                                                       clock) -> None:
    amina = gxp.learners[0]
    complete_virtual_parts(gxp, amina, clock())
    session = gxp.schedule(gxp.gowning, SESSION_DAY)
    register_for_session(amina, session, clock())
    assessment = open_assessment(gxp.instructor, gxp.checklist, amina, SESSION_DAY)
    assert assessment.number == 1 and len(assessment.items) == 20
    result = save_marks(gxp.instructor, assessment, mark_all(assessment), SESSION_DAY)
    assert result.competent and result.complete
    sign_assessment(gxp.instructor, assessment, password=DEFAULT_PASSWORD, now=SESSION_DAY)
    assert assessment.state == "signed" and assessment.competent
    signature = db.session.get(Signature, assessment.signature_id)
    assert signature is not None and signature.meaning == "Assessed: competent"
    # The practical also needs the session's attendance.
    assert not done(gxp, amina.id)
    record_attendance(gxp.instructor, session, {amina.id: Mark("present")}, SESSION_DAY)
    assert done(gxp, amina.id)
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == amina.id))
    assert enrolment is not None and enrolment.completed_at is None  # workshop still open
    db.session.commit()
    assert verify_chain().ok


def test_a_wrong_password_signs_nothing_and_is_recorded(gxp: Gxp, clock) -> None:
    amina = gxp.learners[0]
    unlock_gowning(gxp, amina, clock())
    assessment = open_assessment(gxp.instructor, gxp.checklist, amina, clock())
    save_marks(gxp.instructor, assessment, mark_all(assessment), clock())
    refusal = sign_assessment(gxp.instructor, assessment, password="wrong", now=clock())
    assert isinstance(refusal, Refused) and isinstance(refusal.error, ValidationError)
    assert "password is not right" in refusal.error.message
    assert assessment.state == "open" and assessment.signature_id is None
    refused = db.session.scalars(select(Event.action).where(
        Event.action == "signature.refused")).all()
    assert refused == ["signature.refused"]


def test_signing_needs_every_item_marked(gxp: Gxp, clock) -> None:
    amina = gxp.learners[0]
    assessment = open_assessment(gxp.instructor, gxp.checklist, amina, clock())
    partial = dict(list(mark_all(assessment).items())[:5])
    save_marks(gxp.instructor, assessment, partial, clock())
    with pytest.raises(ValidationError, match="15 not marked"):
        sign_assessment(gxp.instructor, assessment, password=DEFAULT_PASSWORD, now=clock())


def test_attempts_are_limited_and_each_stays_on_record(gxp: Gxp, clock) -> None:
    amina = gxp.learners[0]
    unlock_gowning(gxp, amina, clock())
    for number in (1, 2):
        assessment = open_assessment(gxp.instructor, gxp.checklist, amina, clock())
        assert assessment.number == number
        save_marks(gxp.instructor, assessment, mark_all(assessment, not_met=("1",)), clock())
        result = sign_assessment(gxp.instructor, assessment, password=DEFAULT_PASSWORD,
                                 now=clock.advance(days=1))
        assert isinstance(result, Outcome)
        assert not result.competent and result.meaning == "Assessed: not yet competent"
        with pytest.raises(DomainError, match="signed"):
            save_marks(gxp.instructor, assessment, mark_all(assessment), clock())
    with pytest.raises(DomainError, match="All 2 attempts are used"):
        open_assessment(gxp.instructor, gxp.checklist, amina, clock())
    with pytest.raises(DomainError, match="All 2 attempts are used"):
        request_assessment(amina, gxp.checklist, clock())
    rows = db.session.scalars(select(PracticalAssessment).where(
        PracticalAssessment.learner_id == amina.id)).all()
    assert [(a.number, a.state, a.competent) for a in rows] == [
        (1, "signed", False), (2, "signed", False)]


def test_a_request_is_answered_by_opening_it(gxp: Gxp, clock) -> None:
    amina = gxp.learners[0]
    asked = request_assessment(amina, gxp.checklist, clock())
    assert request_assessment(amina, gxp.checklist, clock()) is asked
    opened = open_assessment(gxp.instructor, gxp.checklist, amina, clock())
    assert opened is asked and (opened.state, opened.number) == ("open", 1)
    assert open_assessment(gxp.instructor, gxp.checklist, amina, clock()) is opened


def test_only_an_assessor_of_the_course_assesses(gxp: Gxp, clock) -> None:
    amina, kim = gxp.learners
    for actor in (amina, gxp.outsider, gxp.admin):
        with pytest.raises(PermissionDenied):
            open_assessment(actor, gxp.checklist, kim, clock())
    assessment = open_assessment(gxp.instructor, gxp.checklist, kim, clock())
    for actor in (amina, kim, gxp.outsider):
        with pytest.raises(PermissionDenied):
            save_marks(actor, assessment, mark_all(assessment), clock())
        with pytest.raises(PermissionDenied):
            sign_assessment(actor, assessment, password=DEFAULT_PASSWORD, now=clock())
