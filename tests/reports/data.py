"""Small factories for the reports' tests: centres, a programme and its intake, trainees
with a country, organisation type and gender, and what they did (enrolments, progress,
graded attempts, live sessions attended, programme certificates), written straight into the
tables of migration 0026 and the features below, as an intake would leave them.

Trainees are inserted with one shared password hash (never logged in with), so that a test
can make a few hundred of them quickly."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update

from app.auth.models import User, UserRole
from app.centres.models import Centre, CentreRole
from app.certificates.models import Certificate
from app.classroom.models import Attendance, ClassSession
from app.content.models import Course, Module, Quiz
from app.extensions import db
from app.intakes.models import Intake, IntakeMember, Programme, ProgrammeCourse
from app.learning.models import Enrolment, ModuleProgress
from app.quizzes.models import Attempt
from tests.course_files import ModuleFile, quiz

UNUSABLE_HASH = "!not-a-password-hash"

# The course every report test shares: a self-paced module of 1 h, an assessed quiz, and a
# classroom module of 3 h whose sessions the intake holds.
REPORT_MODULES = [
    ModuleFile("intro", duration="1 h"),
    ModuleFile("exam", duration="30 min",
               blocks=[quiz("exam", "Grade A?\n(x) Yes\n( ) No", pass_mark="50%")]),
    ModuleFile("lab", modality="classroom", duration="3 h",
               session={"attendance": "required", "capacity": 40}),
]


@dataclass(frozen=True)
class Trainee:
    country: str | None = "KE"
    organisation_type: str | None = "manufacturer"
    gender: str | None = None


def make_centre(code: str, now: datetime, *, country: str = "KE") -> Centre:
    centre = Centre(code=code, name=f"Centre {code}", country=country, created_at=now)
    db.session.add(centre)
    db.session.flush()
    return centre


def give_centre_role(user: User, centre: Centre, role: str, now: datetime) -> None:
    db.session.add(CentreRole(centre_id=centre.id, user_id=user.id, role=role,
                              assigned_at=now))
    db.session.flush()


def make_intake(centre: Centre, courses: Sequence[Course], now: datetime, *,
                code: str = "2026-01") -> Intake:
    programme = Programme(centre_id=centre.id, code=f"P-{code}", title=f"Programme {code}",
                          created_at=now)
    db.session.add(programme)
    db.session.flush()
    for position, course in enumerate(courses):
        db.session.add(ProgrammeCourse(programme_id=programme.id, course_id=course.id,
                                       position=position))
    intake = Intake(centre_id=centre.id, programme_id=programme.id, code=code,
                    title=f"Intake {code}", starts_on=date(2026, 3, 2),
                    ends_on=date(2026, 3, 13), timezone="UTC", seats=200, created_at=now)
    db.session.add(intake)
    db.session.flush()
    return intake


def add_trainees(intake: Intake, trainees: Sequence[Trainee], now: datetime) -> list[int]:
    """Accounts for the trainees, members of the intake; their ids."""
    first = (db.session.scalar(select(db.func.max(User.id))) or 0) + 1
    ids = list(range(first, first + len(trainees)))
    if not ids:
        return []
    db.session.execute(insert(User), [
        {"id": uid, "email": f"t{uid}-{secrets.token_hex(3)}@example.org",
         "name": f"Trainee {uid}", "password_hash": UNUSABLE_HASH, "country": t.country,
         "organisation": "", "organisation_type": t.organisation_type, "gender": t.gender,
         "timezone": "UTC", "active": True, "created_at": now}
        for uid, t in zip(ids, trainees, strict=True)])
    db.session.execute(insert(UserRole), [{"user_id": uid, "role": "learner"} for uid in ids])
    db.session.execute(insert(IntakeMember), [
        {"intake_id": intake.id, "user_id": uid, "added_at": now} for uid in ids])
    if db.engine.dialect.name == "postgresql":
        db.session.execute(db.text("SELECT setval(pg_get_serial_sequence('users', 'id'), "
                                   "(SELECT max(id) FROM users))"))
    return ids


def enrol(ids: Sequence[int], course: Course, centre: Centre, now: datetime) -> dict[int, int]:
    """Active enrolments; enrolment id by user id."""
    db.session.execute(insert(Enrolment), [
        {"course_id": course.id, "user_id": uid, "status": "active", "requested_at": now,
         "enrolled_at": now, "decision_reason": "", "centre_id": centre.id} for uid in ids])
    return dict(db.session.execute(select(Enrolment.user_id, Enrolment.id).where(
        Enrolment.course_id == course.id, Enrolment.user_id.in_(ids))).all())


def module(course: Course, slug: str) -> Module:
    found = db.session.scalar(select(Module).where(Module.course_id == course.id,
                                                   Module.slug == slug))
    assert found is not None
    return found


def progress(ids: Sequence[int], mod: Module, now: datetime, *, completed: bool) -> None:
    db.session.execute(insert(ModuleProgress), [
        {"user_id": uid, "module_id": mod.id, "first_viewed_at": now,
         "completed_at": now if completed else None,
         "completed_version": mod.version if completed else None} for uid in ids])


def graded_attempts(scores: Mapping[int, Sequence[float]], course: Course, now: datetime,
                    pass_mark: float = 50) -> None:
    """Graded attempts on the course's quiz: each user's percents, in order."""
    found = db.session.scalar(select(Quiz).where(Quiz.course_id == course.id))
    assert found is not None
    rows: list[dict[str, Any]] = []
    for uid, percents in scores.items():
        for number, percent in enumerate(percents, start=1):
            rows.append({"quiz_id": found.id, "user_id": uid, "number": number,
                         "state": "graded", "started_at": now, "submitted_at": now,
                         "finished_by": "learner", "snapshot": [], "score": percent,
                         "max_score": 100.0, "percent": percent,
                         "passed": percent >= pass_mark, "graded_at": now,
                         "released_at": now})
    if rows:
        db.session.execute(insert(Attempt), rows)


def session_attended(intake: Intake, mod: Module, facilitator: User, marks: dict[int, str],
                     now: datetime, *, hours: float = 3, cancelled: bool = False) -> None:
    session = ClassSession(course_id=mod.course_id, module_id=mod.id, intake_id=intake.id,
                           starts_at=now, ends_at=now + timedelta(hours=hours),
                           timezone="UTC", capacity=40, facilitator_id=facilitator.id,
                           created_by_id=facilitator.id, created_at=now,
                           uid=secrets.token_hex(8),
                           cancelled_at=now if cancelled else None)
    db.session.add(session)
    db.session.flush()
    if marks:
        db.session.execute(insert(Attendance), [
            {"session_id": session.id, "user_id": uid, "mark": mark, "note": "",
             "recorded_at": now, "recorded_by_id": facilitator.id}
            for uid, mark in marks.items()])


def complete_and_certify(intake: Intake, ids: Sequence[int], enrolments: dict[int, int],
                         course: Course, now: datetime, *, certify: bool = True) -> None:
    db.session.execute(update(IntakeMember).where(
        IntakeMember.intake_id == intake.id, IntakeMember.user_id.in_(ids)
    ).values(completed_at=now))
    if certify:
        db.session.execute(insert(Certificate), [
            {"code": secrets.token_hex(12).upper(), "user_id": uid, "course_id": course.id,
             "enrolment_id": enrolments[uid], "intake_id": intake.id,
             "learner_name": f"Trainee {uid}", "course_title": course.title,
             "completed_at": now, "issued_at": now, "hours": 4.5, "modalities": [],
             "competencies": []} for uid in ids])


@dataclass
class World:
    """The fixture `world`: the course, centre A (the intake's) and B, the intake, its
    trainees' ids and the staff by what they are to centre A."""

    course: Course
    centre: Centre
    other: Centre
    intake: Intake
    ids: list[int]
    people: dict[str, User]


# Argentina 5, Bangladesh 4, Botswana 6, Korea 3 and two without a country.
COUNTRIES = ["AR"] * 5 + ["BD"] * 4 + ["BW"] * 6 + ["KR"] * 3 + [None] * 2
ORGANISATIONS = ["manufacturer"] * 10 + ["regulator"] * 5 + ["academia"] * 3 + [None] * 2
GENDERS = ["female"] * 8 + ["male"] * 7 + [None] * 5


def fill_intake(intake: Intake, course: Course, centre: Centre, ids: list[int],
                facilitator: User, now: datetime) -> None:
    """18 of the 20 enrolled, 16 started (and completed the intro), 12 completed the exam
    module, the lab and the intake, 10 of them certified; 12 trainees marked at the intake's
    3-hour lab session (10 present, 2 late) and 3 absent; a cancelled session that counts
    for nothing; graded attempts for the first 10 (see test_intake_report)."""
    enrolments = enrol(ids[:18], course, centre, now)
    progress(ids[:16], module(course, "intro"), now, completed=True)
    progress(ids[:12], module(course, "exam"), now, completed=True)
    progress(ids[12:16], module(course, "exam"), now, completed=False)
    lab = module(course, "lab")
    progress(ids[:12], lab, now, completed=True)
    marks = {uid: "present" for uid in ids[:10]} | {uid: "late" for uid in ids[10:12]}
    marks |= {uid: "absent" for uid in ids[12:15]}
    session_attended(intake, lab, facilitator, marks, now)
    session_attended(intake, lab, facilitator, dict.fromkeys(ids[:12], "present"), now,
                          cancelled=True)
    scores = {ids[0]: [40, 85], ids[1]: [95], ids[2]: [100], ids[3]: [55], ids[4]: [49],
              ids[5]: [20, 30], ids[6]: [72], ids[7]: [78], ids[8]: [60], ids[9]: [91]}
    graded_attempts(scores, course, now)
    complete_and_certify(intake, ids[:10], enrolments, course, now)
    complete_and_certify(intake, ids[10:12], enrolments, course, now, certify=False)
