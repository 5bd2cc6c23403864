"""An intake in progress, for the browser tests that open every main page: the shipped
courses, a learner part-way through every course with an open quiz attempt, a submitted one
and an essay waiting for grading, a seat at a live session, a hands-on assessment under
way; an instructor and assessor of every course (Ivan); an administrator (Grace); a second
learner (Bao). Built through the services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from app.auth.services import Profile, create_account
from app.authoring.drafts import create_course
from app.classroom.services import Schedule, register_for_session, schedule_session
from app.content.models import Checklist, Course, Module, Quiz
from app.core.errors import DomainError
from app.core.roles import Role
from app.extensions import db
from app.learning.services import assign_staff, complete_module, decide_enrolment, enrol
from app.practicals.services import open_assessment, request_assessment
from app.quizzes.services import save_answers, start_attempt, submit_attempt
from tests.e2e.pages import PASSWORD
from tests.e2e.people import make_grace, make_ivan

#: Modules left for the pages that need them open: an essay to grade, a practical to assess.
WORKSHOP = ("gxp-standard-practice", "deviation-workshop")
PRACTICAL = ("qc-laboratory-biologics", "endotoxin-gel-clot-practical")
DRAFT = "phone-draft"


def complete_what_can_be(learner: Any, modules: list[Module], now: datetime) -> None:
    """Each module in order, by whichever of its requirements completes it alone (the way
    the grading journey stands in for assessments already passed)."""
    for module in modules:
        for via in ("read", "assessment", "attendance", "sign_off"):
            try:
                if complete_module(learner, module, now, via=via):
                    break
            except DomainError:
                continue


def build_intake(live_app: Flask) -> dict[str, Any]:
    """The people and the records of an intake in progress, in the shipped courses; returns
    the addresses the pages need."""
    with live_app.app_context():
        now = live_app.config["CLOCK"]()
        grace = make_grace(now)
        ivan = make_ivan(now, Role.INSTRUCTOR, Role.ASSESSOR)
        amina = create_account(
            email="amina@example.org", password=PASSWORD,
            profile=Profile("Amina Yusuf", "NG", "National Agency for Food and Drug "
                            "Administration and Control, Quality Control Laboratory"),
            now=now)
        bao = create_account(email="bao@example.org", password=PASSWORD,
                             profile=Profile("Bao Tran", "VN"), now=now)
        courses = {c.slug: c for c in db.session.scalars(select(Course))}
        modules = {(m.course.slug, m.slug): m for m in db.session.scalars(
            select(Module).where(Module.archived_at.is_(None)).order_by(Module.position))}
        for course in courses.values():
            assign_staff(grace, course, ivan, "instructor", now)
            assign_staff(grace, course, ivan, "assessor", now)
            enrolment = enrol(amina, course, now)
            if enrolment.status == "requested":
                decide_enrolment(ivan, enrolment, course, accept=True, reason="", now=now)
            enrol(bao, course, now)
            complete_what_can_be(amina, [
                m for (slug, m_slug), m in modules.items()
                if slug == course.slug and (slug, m_slug) not in (WORKSHOP, PRACTICAL)
                and m.optional is False], now)
        db.session.flush()

        # The essay of the GxP workshop waits for grading; one quiz is under way, and one
        # is submitted and scored.
        quizzes = list(db.session.scalars(select(Quiz).where(Quiz.archived_at.is_(None))
                                          .order_by(Quiz.course_id, Quiz.position)))
        essay_quiz = next(q for q in quizzes if q.module_id == modules[WORKSHOP].id)
        essay = start_attempt(amina, essay_quiz, now)
        save_answers(amina, essay, {
            item["key"]: ["The buffer was held past its validated time; " * 12]
            for item in essay.snapshot if item["kind"] == "essay"}, 1, now)
        submit_attempt(amina, essay, now)
        others = [q for q in quizzes if q.course_id != courses[WORKSHOP[0]].id]
        scored = start_attempt(amina, others[0], now)
        submit_attempt(amina, scored, now)
        under_way = start_attempt(amina, next(
            q for q in others if q.module_id != others[0].module_id), now)

        # The gel-clot practical: a session in half an hour (the server keeps real time,
        # so attendance is open), Amina's seat, and her assessment begun.
        practical = modules[PRACTICAL]
        real_now = datetime.now(UTC)
        start = real_now + timedelta(minutes=30)
        session = schedule_session(ivan, courses[PRACTICAL[0]], Schedule(
            practical, start, start + timedelta(hours=3), "Africa/Lagos", 6, ivan,
            location="QC training laboratory 2, Building C (the west entrance)"), real_now)
        register_for_session(amina, session, real_now)
        checklist = db.session.scalars(select(Checklist).where(
            Checklist.module_id == practical.id)).first()
        assert checklist is not None
        request_assessment(amina, checklist, now)
        assessment = open_assessment(ivan, checklist, amina, now)
        create_course(ivan, DRAFT, "Aseptic filling: a draft for the phone check", now)
        db.session.commit()
        lessons = [f"/learning/{slug}/modules/{m_slug}" for slug, m_slug in modules]
        return {
            "courses": sorted(courses), "lessons": lessons, "amina": amina.id,
            "essay": essay.id, "scored": scored.id, "under_way": under_way.id,
            "session": session.id, "assessment": assessment.id,
            "workshop": f"/learning/{WORKSHOP[0]}/modules/{WORKSHOP[1]}",
        }
