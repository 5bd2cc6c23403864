"""Scheduling, registration with a waitlist, attendance and calendar files, without HTTP."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.auth.models import User
from app.classroom.calendar import CalendarEntry, build_calendar
from app.classroom.models import ClassSession, Registration
from app.classroom.services import (
    Mark,
    Schedule,
    cancel_registration,
    record_attendance,
    register_for_session,
    schedule_session,
)
from app.core.db import write_intent
from app.core.errors import DomainError, PermissionDenied, ValidationError
from app.core.registry import NotRegistered
from app.extensions import db
from app.learning.models import ModuleProgress
from app.learning.services import REQUIREMENT_CHECKS, complete_module
from app.records.models import Event
from app.records.services import verify_chain
from tests.blended import Gxp, complete_virtual_parts
from tests.course_files import ModuleFile

SOON = datetime(2026, 3, 9, 0, 0, tzinfo=UTC)  # a week after the test clock's start


def status(session: ClassSession, user: User) -> str | None:
    return db.session.scalar(select(Registration.status).where(
        Registration.session_id == session.id, Registration.user_id == user.id))


def completed(user: User, module_id: int) -> bool:
    return db.session.scalar(select(ModuleProgress.completed_version).where(
        ModuleProgress.user_id == user.id, ModuleProgress.module_id == module_id)) is not None


def test_scheduling_checks_what_the_instructor_enters(gxp: Gxp, clock) -> None:
    plan = Schedule(module=gxp.workshop, starts_at=SOON, ends_at=SOON + timedelta(hours=3),
                    timezone="Asia/Seoul", capacity=None, facilitator=gxp.instructor,
                    location="Room 2")
    session = schedule_session(gxp.instructor, gxp.course, plan, clock())
    assert session.capacity == 24  # from the module file
    assert session.uid.endswith("@trainhub")
    refusals = [
        (Schedule(gxp.modules["why-gxp"], SOON, SOON + timedelta(hours=1), "UTC", 5,
                  gxp.instructor, "Room"), "module"),
        (Schedule(gxp.workshop, SOON, SOON, "UTC", 5, gxp.instructor, "Room"), "end"),
        (Schedule(gxp.workshop, SOON, SOON + timedelta(hours=1), "UTC", 0, gxp.instructor,
                  "Room"), "capacity"),
        (Schedule(gxp.workshop, SOON, SOON + timedelta(hours=1), "UTC", 5, gxp.learners[0],
                  "Room"), "facilitator"),
        (Schedule(gxp.workshop, SOON, SOON + timedelta(hours=1), "UTC", 5, gxp.instructor,
                  ""), "location"),
    ]
    for bad, field in refusals:
        with pytest.raises(ValidationError) as refused:
            schedule_session(gxp.instructor, gxp.course, bad, clock())
        assert refused.value.field == field
    with pytest.raises(PermissionDenied):
        schedule_session(gxp.learners[0], gxp.course, plan, clock())
    with pytest.raises(PermissionDenied):
        schedule_session(gxp.outsider, gxp.course, plan, clock())


def test_online_sessions_need_an_https_join_link(gxp: Gxp, make_course, clock) -> None:
    from app.learning.services import assign_staff

    course = make_course("online-gmp", [ModuleFile("quality-systems", session={
        "attendance": "required", "capacity": 60})])  # virtual with a session: online
    assign_staff(gxp.admin, course, gxp.instructor, "instructor", clock())
    online = next(m for m in course.modules if m.slug == "quality-systems")
    plan = Schedule(online, SOON, SOON + timedelta(hours=2), "Asia/Seoul", None,
                    gxp.instructor, join_url="http://meet.example.org/x")
    with pytest.raises(ValidationError, match="https"):
        schedule_session(gxp.instructor, course, plan, clock())
    good = Schedule(online, SOON, SOON + timedelta(hours=2), "Asia/Seoul", None,
                    gxp.instructor, location="ignored", join_url="https://meet.example.org/x")
    session = schedule_session(gxp.instructor, course, good, clock())
    assert (session.location, session.join_url) == ("", "https://meet.example.org/x")


def test_the_last_seat_the_waitlist_and_promotion_in_order(gxp: Gxp, make_user, clock) -> None:
    session = gxp.schedule(gxp.workshop, SOON, capacity=1)
    amina, kim = gxp.learners
    third = make_user("third@example.org", name="Third Learner")
    from app.learning.services import enrol

    enrol(third, gxp.course, clock())
    assert register_for_session(amina, session, clock()).status == "registered"
    assert register_for_session(kim, session, clock.advance(minutes=1)).status == "waitlisted"
    assert register_for_session(third, session, clock.advance(minutes=1)).status == "waitlisted"
    assert register_for_session(kim, session, clock()).status == "waitlisted"  # idempotent
    assert cancel_registration(amina, session, clock.advance(minutes=1)) == [kim.id]
    assert (status(session, amina), status(session, kim), status(session, third)) == (
        "cancelled", "registered", "waitlisted")
    # Coming back puts amina at the end of the waitlist, behind third.
    assert register_for_session(amina, session, clock.advance(minutes=1)).status == "waitlisted"
    assert cancel_registration(kim, session, clock.advance(minutes=1)) == [third.id]
    promoted = db.session.scalars(select(Event).where(Event.action == "session.promoted")).all()
    assert [(e.learner_id, e.actor_name) for e in promoted] == [
        (kim.id, "TrainHub (automatic)"), (third.id, "TrainHub (automatic)")]
    db.session.commit()
    assert verify_chain().ok


def test_registration_needs_enrolment_and_closes_at_the_start(gxp: Gxp, make_user,
                                                                clock) -> None:
    session = gxp.schedule(gxp.workshop, SOON)
    stranger = make_user("stranger@example.org")
    with pytest.raises(DomainError, match="Enrol in the course"):
        register_for_session(stranger, session, clock())
    with pytest.raises(DomainError, match="Registration has closed"):
        register_for_session(gxp.learners[0], session, SOON)


def test_two_learners_taking_the_last_seat_at_once(app, gxp: Gxp, clock) -> None:
    session = gxp.schedule(gxp.workshop, SOON, capacity=1)
    db.session.commit()
    session_id, ids, moment = session.id, [u.id for u in gxp.learners], clock()
    db.session.close()
    results: list[str] = []
    errors: list[BaseException] = []
    gate = threading.Barrier(2)

    def take_seat(user_id: int) -> None:
        try:
            with app.app_context():
                gate.wait()
                write_intent.set(True)  # as a POST request
                learner = db.session.get(User, user_id)
                chosen = db.session.get(ClassSession, session_id)
                assert learner is not None and chosen is not None
                results.append(register_for_session(learner, chosen, moment).status)
                db.session.commit()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=take_seat, args=(user_id,)) for user_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == ["registered", "waitlisted"]
    seated = db.session.scalars(select(Registration).where(
        Registration.session_id == session_id, Registration.status == "registered")).all()
    assert len(seated) == 1


def test_attendance_completes_a_required_session_module(gxp: Gxp, clock) -> None:
    amina, kim = gxp.learners
    session = gxp.schedule(gxp.workshop, SOON)
    for learner in gxp.learners:
        complete_virtual_parts(gxp, learner, clock())
        register_for_session(learner, session, clock())
    with pytest.raises(DomainError, match="Attendance opens"):
        record_attendance(gxp.instructor, session, {amina.id: Mark("present")}, clock())
    with pytest.raises(PermissionDenied):
        record_attendance(amina, session, {amina.id: Mark("present")}, SOON)
    with pytest.raises(PermissionDenied):
        record_attendance(gxp.outsider, session, {amina.id: Mark("present")}, SOON)
    changed = record_attendance(gxp.instructor, session, {
        amina.id: Mark("late", "arrived 10:20"), kim.id: Mark("absent")}, SOON)
    assert changed == 2
    # The workshop also has a graded assessment: attendance alone does not complete it.
    assert not completed(amina, gxp.workshop.id)
    assert complete_module(amina, gxp.workshop, SOON, via="assessment")
    assert completed(amina, gxp.workshop.id)
    assert not complete_module(kim, gxp.workshop, SOON, via="assessment")  # absent
    assert not completed(kim, gxp.workshop.id)
    # Correcting a mark is a new event that keeps the old value.
    assert record_attendance(gxp.instructor, session, {kim.id: Mark("excused")}, SOON) == 1
    assert record_attendance(gxp.instructor, session, {kim.id: Mark("excused")}, SOON) == 0
    marks = db.session.scalars(select(Event).where(
        Event.action == "attendance.recorded", Event.learner_id == kim.id)).all()
    assert [(e.details["mark"], e.details["previous"]) for e in marks] == [
        ("absent", None), ("excused", "absent")]
    with pytest.raises(ValidationError):
        record_attendance(gxp.instructor, session, {kim.id: Mark("asleep")}, SOON)


def test_a_requirement_without_its_check_is_a_clear_error(app, gxp: Gxp, clock,
                                                           monkeypatch) -> None:
    """An app wired without the classroom's init_app cannot tell whether the workshop's
    session was attended: completing it says so, by name, instead of a bare KeyError."""
    amina = gxp.learners[0]
    complete_virtual_parts(gxp, amina, clock())
    monkeypatch.delitem(app.extensions[REQUIREMENT_CHECKS.key], "attendance")
    with pytest.raises(NotRegistered, match="requirement checks: nothing is registered for "
                                            "'attendance'"):
        complete_module(amina, gxp.workshop, SOON, via="assessment")
    assert not completed(amina, gxp.workshop.id)


def test_only_registered_learners_are_marked(gxp: Gxp, clock) -> None:
    session = gxp.schedule(gxp.workshop, SOON)
    with pytest.raises(ValidationError, match="registered"):
        record_attendance(gxp.instructor, session, {gxp.learners[0].id: Mark("present")}, SOON)


def test_a_session_calendar_file_parses_back(gxp: Gxp, clock) -> None:
    session = gxp.schedule(gxp.gowning, SOON)
    entry = CalendarEntry(session=session, course_title=gxp.course.title,
                          module_title=gxp.gowning.title, url="https://lms.example.org/s/1",
                          facilitator=gxp.instructor.name,
                          materials=("Sterile gloves", "Goggles"))
    parsed = Calendar.from_ical(build_calendar([entry], name="Test", now=clock()))
    events = list(parsed.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart") == SOON
    assert event.decoded("dtend") == SOON + timedelta(hours=2)
    assert str(event["uid"]) == session.uid
    assert str(event["summary"]) == f"{gxp.gowning.title} ({gxp.course.title})"
    assert str(event["location"]) == "Training cleanroom B"
    assert "Sterile gloves; Goggles" in str(event["description"])
    assert str(event["status"]) == "CONFIRMED"
    assert str(parsed["version"]) == "2.0"
