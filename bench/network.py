"""The training network at scale, for the report benchmark (bench/report_bench.py): centres
(the hub, which the import made, and the rest), one programme of the bench course at each,
intakes spread over the centres, every learner in one intake, a live session per intake with
its attendance, and completions with programme certificates for three trainees in five.

Bulk inserts, like the rest of scale_data.py; called from `scale_data.generate`."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select

from app.auth.models import User
from app.centres.models import Centre
from app.certificates.models import Certificate
from app.classroom.models import Attendance, ClassSession
from app.content.models import Course, Module
from app.extensions import db
from app.intakes.models import Intake, IntakeMember, Programme, ProgrammeCourse
from app.learning.models import Enrolment
from bench.rows import insert_rows

REGIONS = ("Africa", "Americas", "Eastern Mediterranean", "Europe", "South-East Asia",
           "Western Pacific")
CENTRE_COUNTRIES = ("ZA", "BR", "EG", "SN", "IN", "VN", "AR", "ID", "NG", "KE", "RS")


def _centres(count: int, now: datetime) -> list[int]:
    hub = db.session.scalar(select(Centre.id).where(Centre.is_hub.is_(True)))
    assert hub is not None, "the course import makes the hub"
    db.session.execute(insert(Centre), [
        {"code": f"RC{n:02d}", "name": f"Regional Training Centre {n}",
         "country": CENTRE_COUNTRIES[n % len(CENTRE_COUNTRIES)],
         "region": REGIONS[n % len(REGIONS)], "timezone": "UTC", "languages": ["en"],
         "created_at": now} for n in range(1, count)])
    return [hub, *db.session.scalars(select(Centre.id).where(Centre.is_hub.is_(False))
                                     .order_by(Centre.id))]


def generate_network(centres: int, intakes: int, learner_ids: Sequence[int], course: Course,
                     now: datetime) -> dict[str, int]:
    centre_ids = _centres(centres, now)
    db.session.execute(insert(Programme), [
        {"centre_id": cid, "code": "INTRO", "title": "Introductory course", "description": "",
         "requirement": "all", "modality_counts": {}, "certificate": True, "created_at": now}
        for cid in centre_ids])
    programmes = dict(db.session.execute(select(Programme.centre_id, Programme.id)).all())
    db.session.execute(insert(ProgrammeCourse), [
        {"programme_id": pid, "course_id": course.id, "position": 0, "modality": "virtual"}
        for pid in programmes.values()])
    db.session.execute(insert(Intake), [
        {"centre_id": centre_ids[n % len(centre_ids)],
         "programme_id": programmes[centre_ids[n % len(centre_ids)]],
         "code": f"I{n:03d}", "title": f"Intake {n}",
         "starts_on": date(2026, 1, 5) + timedelta(days=7 * (n // len(centre_ids))),
         "ends_on": date(2026, 1, 16) + timedelta(days=7 * (n // len(centre_ids))),
         "timezone": "UTC", "seats": len(learner_ids) // intakes + 1, "virtual_days": 5,
         "classroom_days": 3, "hands_on_days": 2, "created_at": now} for n in range(intakes)])
    intake_ids = list(db.session.scalars(select(Intake.id).order_by(Intake.id)))
    member_of = {uid: intake_ids[i % len(intake_ids)] for i, uid in enumerate(learner_ids)}
    counts = {"centres": len(centre_ids), "intakes": len(intake_ids)}
    counts["intake_members"] = insert_rows(IntakeMember, (
        {"intake_id": iid, "user_id": uid, "added_at": now,
         "completed_at": now if uid % 5 < 3 else None} for uid, iid in member_of.items()))
    counts["intake_sessions"], counts["attendance"] = _sessions(intake_ids, member_of, course,
                                                                now)
    enrolments = dict(db.session.execute(select(Enrolment.user_id, Enrolment.id).where(
        Enrolment.course_id == course.id)).all())
    counts["programme_certificates"] = insert_rows(Certificate, (
        {"code": secrets.token_hex(15).upper(), "user_id": uid, "course_id": course.id,
         "enrolment_id": enrolments[uid], "intake_id": iid, "learner_name": f"Bench {uid}",
         "course_title": course.title, "completed_at": now, "issued_at": now, "hours": 24.0,
         "modalities": ["virtual"], "competencies": []}
        for uid, iid in member_of.items() if uid % 5 < 3))
    return counts


def _sessions(intake_ids: list[int], member_of: dict[int, int], course: Course,
              now: datetime) -> tuple[int, int]:
    """One three-hour session per intake, of the course's last module; four in five of its
    trainees marked present."""
    module_id = db.session.scalar(select(Module.id).where(Module.course_id == course.id)
                                  .order_by(Module.position.desc()).limit(1))
    facilitator = db.session.scalar(select(User.id).order_by(User.id).limit(1))
    insert_rows(ClassSession, (
        {"course_id": course.id, "module_id": module_id, "intake_id": iid,
         "starts_at": now, "ends_at": now + timedelta(hours=3), "timezone": "UTC",
         "capacity": 1_000, "facilitator_id": facilitator, "location": "", "join_url": "",
         "created_by_id": facilitator, "created_at": now, "uid": secrets.token_hex(16),
         "sequence": 0, "cancel_reason": ""} for iid in intake_ids))
    session_of = dict(db.session.execute(select(ClassSession.intake_id, ClassSession.id)
                                         .where(ClassSession.intake_id.is_not(None))).all())
    marked = insert_rows(Attendance, (
        {"session_id": session_of[iid], "user_id": uid, "mark": "present", "note": "",
         "recorded_at": now, "recorded_by_id": facilitator}
        for uid, iid in member_of.items() if uid % 5 != 4))
    return len(session_of), marked
