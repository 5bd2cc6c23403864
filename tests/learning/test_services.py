"""Enrolment, progress and completion services, without HTTP."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.content.importer import import_courses
from app.content.loader import load_courses
from app.content.models import Course, Module
from app.core.errors import DomainError, PermissionDenied, ValidationError
from app.extensions import db
from app.learning.models import Enrolment, ModuleProgress
from app.learning.queries import course_view
from app.learning.rules import State
from app.learning.services import (
    assign_staff,
    complete_module,
    decide_enrolment,
    enrol,
    record_view,
    withdraw,
)
from app.records.models import Event
from app.records.services import verify_chain
from tests.course_files import module_md


def course(slug: str) -> Course:
    found = db.session.scalar(select(Course).where(Course.slug == slug))
    assert found is not None
    return found


def module(slug: str) -> Module:
    found = db.session.scalar(select(Module).where(Module.slug == slug))
    assert found is not None
    return found


def actions(learner_id: int) -> list[str]:
    return list(db.session.scalars(select(Event.action).where(Event.learner_id == learner_id)
                                   .order_by(Event.seq)))


def state_of(user, course_slug: str, module_slug: str) -> State:
    view = course_view(course_slug, user)
    assert view is not None
    return view.progress.states[module_slug]


def test_open_enrolment_is_immediate_and_idempotent(gxp_course, people, clock) -> None:
    amina = people["amina"]
    enrolment = enrol(amina, course("gxp-standard-practice"), clock())
    assert enrolment.status == "active" and enrolment.enrolled_at == clock()
    assert enrol(amina, course("gxp-standard-practice"), clock()) is enrolment
    assert actions(amina.id).count("enrolment.created") == 1


def test_approval_course_request_accept_and_decline(staffed, people, clock) -> None:
    amina, kim, ivan, olu = people["amina"], people["kim"], people["ivan"], people["olu"]
    marathon = course("gmp-vaccine-marathon")
    request = enrol(amina, marathon, clock())
    assert request.status == "requested"
    with pytest.raises(PermissionDenied):
        decide_enrolment(olu, request, marathon, accept=True, reason="", now=clock())
    decide_enrolment(ivan, request, marathon, accept=True, reason="", now=clock())
    assert request.status == "active" and request.decided_by_id == ivan.id
    other = enrol(kim, marathon, clock())
    with pytest.raises(ValidationError, match="Say why"):
        decide_enrolment(ivan, other, marathon, accept=False, reason=" ", now=clock())
    decide_enrolment(ivan, other, marathon, accept=False, reason="Course is full",
                     now=clock())
    assert other.status == "declined" and other.decision_reason == "Course is full"
    with pytest.raises(DomainError, match="decided already"):
        decide_enrolment(ivan, other, marathon, accept=True, reason="", now=clock())
    assert "enrolment.requested" in actions(kim.id) and "enrolment.declined" in actions(kim.id)


def test_read_completion_prerequisites_and_course_completion(app, people, clock,
                                                             write_course) -> None:
    folder = write_course({"01-a.md": module_md("A"),
                           "02-b.md": module_md("B", extra="prerequisites: [a]\n"),
                           "03-c.md": module_md("C", extra="optional: true\n")})
    courses, _ = load_courses([folder])
    import_courses(courses, now=clock())
    amina = people["amina"]
    enrolment = enrol(amina, course("aseptic-basics"), clock())
    assert state_of(amina, "aseptic-basics", "b") == State.LOCKED
    with pytest.raises(DomainError, match="locked"):
        complete_module(amina, module("b"), clock())
    record_view(amina, enrolment, module("a"), clock())
    assert state_of(amina, "aseptic-basics", "a") == State.IN_PROGRESS
    complete_module(amina, module("a"), clock())
    assert state_of(amina, "aseptic-basics", "b") == State.NOT_STARTED
    assert enrolment.completed_at is None
    complete_module(amina, module("b"), clock())
    assert enrolment.completed_at == clock()  # the optional module is not needed
    assert actions(amina.id) == ["user.created", "enrolment.created", "module.started",
                                 "module.completed", "module.completed", "course.completed",
                                 "certificate.issued"]
    db.session.commit()
    assert verify_chain().ok


def test_assessed_modules_complete_only_through_their_assessment(gxp_course, people,
                                                                 clock) -> None:
    amina = people["amina"]
    enrol(amina, course("gxp-standard-practice"), clock())
    for done in ("why-gxp", "good-documentation-practice"):  # its prerequisites
        complete_module(amina, module(done), clock())
    validation = module("validation-basics")  # has a graded assessment
    with pytest.raises(DomainError, match="pass its assessment"):
        complete_module(amina, validation, clock())
    complete_module(amina, validation, clock(), via="assessment")
    progress = db.session.scalar(select(ModuleProgress).where(
        ModuleProgress.module_id == validation.id))
    assert progress is not None and progress.completed_version == validation.version
    gowning = module("aseptic-gowning-practical")
    with pytest.raises(DomainError, match="signs off"):
        complete_module(amina, gowning, clock())


def test_a_raised_version_flags_retraining_and_keeps_the_completion(app, people, clock,
                                                                     write_course) -> None:
    folder = write_course({"01-a.md": module_md("A")})
    courses, _ = load_courses([folder])
    import_courses(courses, now=clock())
    amina = people["amina"]
    enrol(amina, course("aseptic-basics"), clock())
    complete_module(amina, module("a"), clock())
    db.session.commit()
    write_course({"01-a.md": module_md("A, revised", version=2)})
    courses, _ = load_courses([folder])
    import_courses(courses, now=clock.advance(days=30))
    db.session.commit()
    assert state_of(amina, "aseptic-basics", "a") == State.RETRAINING_DUE
    flagged = db.session.scalar(select(Event).where(Event.action == "module.retraining_due"))
    assert flagged is not None and flagged.learner_id == amina.id
    assert flagged.details == {"module": "a", "completed_version": 1, "new_version": 2}
    complete_module(amina, module("a"), clock())
    assert state_of(amina, "aseptic-basics", "a") == State.COMPLETE
    completions = db.session.scalars(select(Event.details).where(
        Event.action == "module.completed")).all()
    assert [(c["version"], c["retraining"]) for c in completions] == [(1, False), (2, True)]


def test_withdrawing_keeps_progress_and_enrolling_again_restores_it(gxp_course, people,
                                                                    clock) -> None:
    amina = people["amina"]
    enrolment = enrol(amina, course("gxp-standard-practice"), clock())
    complete_module(amina, module("why-gxp"), clock())
    withdraw(amina, enrolment, clock())
    assert enrolment.status == "withdrawn"
    again = enrol(amina, course("gxp-standard-practice"), clock())
    assert again.id == enrolment.id and again.status == "active"
    assert state_of(amina, "gxp-standard-practice", "why-gxp") == State.COMPLETE
    with pytest.raises(PermissionDenied):
        withdraw(people["kim"], again, clock())


def test_staff_assignment_rules(gxp_course, people, clock) -> None:
    gxp = course("gxp-standard-practice")
    with pytest.raises(PermissionDenied):
        assign_staff(people["ivan"], gxp, people["olu"], "instructor", clock())
    with pytest.raises(ValidationError, match="does not hold the Assessor role"):
        assign_staff(people["grace"], gxp, people["olu"], "assessor", clock())
    assert assign_staff(people["grace"], gxp, people["olu"], "instructor", clock()) is True
    assert assign_staff(people["grace"], gxp, people["olu"], "instructor", clock()) is False
    assert db.session.scalar(select(Enrolment)) is None
