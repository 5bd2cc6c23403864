"""Issuing certificates when a course completes, and revoking them."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.centres.scope import may_staff_centre, staff_centre_ids
from app.certificates import notices
from app.certificates.models import Certificate
from app.certificates.rules import ModuleLine, competencies, credit_hours, modalities
from app.content.models import Course, CourseTranslation, Module
from app.content.versions import pick_version
from app.core.auth import authorize
from app.core.errors import DomainError, ValidationError
from app.core.roles import Role
from app.extensions import db
from app.learning.models import Enrolment
from app.learning.services import staff_roles
from app.records.services import record_event


def may_download(actor: User, certificate: Certificate) -> bool:
    """The learner, the network administrator, and the course's staff at the centre the
    learner enrolled through (a programme certificate has no course: its learner and the
    network administrator)."""
    return (actor.id == certificate.user_id or actor.has_role(Role.ADMIN)
            or (certificate.course_id is not None
                and bool(staff_roles(actor, certificate.course_id))
                and may_staff_centre(actor, db.session.scalar(select(Enrolment.centre_id).where(
                    Enrolment.id == certificate.enrolment_id)))))


def may_revoke(actor: User, certificate: Certificate | None) -> bool:
    """The network administrator; a centre administrator for the certificates of learners
    who enrolled through their centre (with None: whether they may revoke any)."""
    ids = staff_centre_ids(actor, "centre_admin")
    if ids is None or not ids:
        return ids is None
    if certificate is None:
        return True
    return db.session.scalar(select(Enrolment.centre_id).where(
        Enrolment.id == certificate.enrolment_id)) in ids


def new_code() -> str:
    return base64.b32encode(secrets.token_bytes(15)).decode()  # 24 characters, 120 bits


def course_title_for(learner: User, course: Course) -> str:
    """The course's title as the learner's certificate prints it: in the learner's interface
    language when the course has a version of its course.md in it (`course.fr.md`), else
    the course's own title. One statement, and none when no version can match."""
    tag = pick_version(course.languages, course.language, interface=learner.language)
    if tag == course.language:
        return course.title
    title = db.session.scalar(select(CourseTranslation.title).where(
        CourseTranslation.course_id == course.id, CourseTranslation.language == tag))
    return title or course.title


def issue_certificate(learner: User, enrolment: Enrolment, now: datetime) -> Certificate | None:
    """Called when the learner completes the course: one certificate per enrolment, if the
    course gives certificates."""
    course = db.session.get(Course, enrolment.course_id)
    assert course is not None
    if not course.certificate or enrolment.completed_at is None:
        return None
    existing = db.session.scalar(select(Certificate).where(
        Certificate.enrolment_id == enrolment.id))
    if existing is not None:
        return existing
    lines = [ModuleLine(m.modality, m.duration_minutes, m.optional, tuple(m.competencies))
             for m in db.session.scalars(select(Module).where(
                 Module.course_id == course.id, Module.archived_at.is_(None)))]
    certificate = Certificate(
        code=new_code(), user_id=learner.id, course_id=course.id, enrolment_id=enrolment.id,
        learner_name=learner.name, course_title=course_title_for(learner, course),
        completed_at=enrolment.completed_at, issued_at=now,
        hours=credit_hours(course.hours, lines), modalities=modalities(lines),
        competencies=competencies(course.competencies, lines))
    db.session.add(certificate)
    db.session.flush()
    record_event("certificate.issued", actor=None, automatic=True, now=now,
                 subject_type="certificate", subject_id=certificate.id, course_id=course.id,
                 learner_id=learner.id,
                 details={"code": certificate.display_code, "course": course.title,
                          "completed_at": certificate.completed_at,
                          "hours": certificate.hours, "modalities": certificate.modalities})
    notices.tell_issued(learner, certificate, now)
    return certificate


def issue_programme_certificate(learner: User, *, intake_id: int, title: str,
                                course_ids: Sequence[int], completed_at: datetime,
                                now: datetime) -> Certificate:
    """A programme's certificate, once per learner and intake: the programme's title, and
    each of `course_ids` (in order) with its credit hours, the same code and QR as a
    course's. Three statements, whatever the number of courses."""
    existing = db.session.scalar(select(Certificate).where(
        Certificate.intake_id == intake_id, Certificate.user_id == learner.id))
    if existing is not None:
        return existing
    courses = {c.id: c for c in db.session.scalars(select(Course).where(
        Course.id.in_(course_ids)))}
    lines: dict[int, list[ModuleLine]] = {i: [] for i in course_ids}
    for m in db.session.scalars(select(Module).where(Module.course_id.in_(course_ids),
                                                     Module.archived_at.is_(None))):
        lines[m.course_id].append(ModuleLine(m.modality, m.duration_minutes, m.optional,
                                             tuple(m.competencies)))
    printed = [{"title": courses[i].title, "hours": credit_hours(courses[i].hours, lines[i])}
               for i in course_ids if i in courses]
    hours = [float(line["hours"]) for line in printed if line["hours"] is not None]
    every = [line for i in course_ids for line in lines[i]]
    certificate = Certificate(
        code=new_code(), user_id=learner.id, course_id=None, enrolment_id=None,
        intake_id=intake_id, learner_name=learner.name, course_title=title,
        completed_at=completed_at, issued_at=now, hours=round(sum(hours), 1) if hours else None,
        modalities=modalities(every), competencies=[], courses=printed)
    db.session.add(certificate)
    db.session.flush()
    record_event("certificate.issued", actor=None, automatic=True, now=now,
                 subject_type="certificate", subject_id=certificate.id, learner_id=learner.id,
                 details={"code": certificate.display_code, "programme": title,
                          "intake_id": intake_id, "completed_at": completed_at,
                          "hours": certificate.hours, "courses": printed})
    notices.tell_issued(learner, certificate, now)
    return certificate


def revoke_certificate(actor: User, certificate: Certificate, reason: str,
                       now: datetime) -> None:
    authorize(actor, "certificate.revoke", certificate)
    if certificate.revoked_at is not None:
        raise DomainError(_("This certificate is revoked already."))
    if not reason.strip():
        raise ValidationError(_("Say why the certificate is revoked; it is kept on record."),
                              field="reason")
    certificate.revoked_at, certificate.revoked_by_id = now, actor.id
    certificate.revoke_reason = reason.strip()
    record_event("certificate.revoked", actor=actor, now=now, subject_type="certificate",
                 subject_id=certificate.id, course_id=certificate.course_id,
                 learner_id=certificate.user_id, reason=certificate.revoke_reason,
                 details={"code": certificate.display_code})


def on_course_completed(learner: User, enrolment: Enrolment, now: datetime) -> None:
    """The hook learning calls when a course is complete: issue its certificate."""
    issue_certificate(learner, enrolment, now)
