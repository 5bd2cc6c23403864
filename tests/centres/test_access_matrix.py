"""The access matrix across centres, for every GET page of the url_map that takes an
argument: each viewer (a centre's instructor-assessor, centre administrator, programme
officer and learner) against the objects of their own centre, of another centre and of the
hub: a learner, their quiz attempt, hands-on assessment, certificate, the live session
they sit, the course and its quiz and checklist, the centre's programme and intake (the
learner in it) and their reports.

A cell succeeds when the page answers 200 and, for pages that list several learners (a
course, a session, a quiz), shows the target's learner. ALLOWED lists the cells that may
succeed; any other success fails the test. A new route with an argument the matrix cannot
fill fails `test_every_route_with_an_argument_is_in_the_matrix` until it is filled or
skipped here with its reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask, g
from sqlalchemy import select

from app.auth.models import User
from app.centres.services import CentreDetails, create_centre, ensure_hub
from app.centres.staff import grant_centre_role
from app.certificates.models import Certificate
from app.classroom.services import Schedule, register_for_session, schedule_session
from app.content.models import Checklist, Course, Module, Quiz
from app.extensions import db
from app.intakes.models import Intake, IntakeMember, Programme, ProgrammeCourse
from app.learning.services import assign_staff, enrol
from app.practicals.services import open_assessment, request_assessment
from app.quizzes.services import save_answers, start_attempt, submit_attempt
from tests.conftest import login
from tests.course_files import ESSAY_QUIZ, ModuleFile, checklist

CENTRES = ("HUB", "AAA", "BBB")
VIEWERS = ("staff", "admin", "officer", "learner")
# The cells that may succeed, by (viewer, relation of the target's centre to theirs):
# everyone at their own centre (staff and administrators their centre's learners, the
# learner their own things). Nothing across centres, and the hub's staff see no regional
# centre's learners, nor regional staff the hub's.
ALLOWED = {("staff", "own"), ("admin", "own"), ("officer", "own"), ("learner", "own")}
# Pages no centre viewer may open, or that name no learner of a centre.
PUBLIC = {"catalog.course", "centres.stylesheet", "centres.logo", "classroom.feed",
          "content.media", "certificates.verify", "auth.confirm", "auth.reset_password",
          "notifications.unsubscribe", "authoring.draft_media", "moved", "static"}
SKIPPED = {
    # A course's source files: its authors' (course_staff instructors), no learner in them.
    "authoring.overview", "authoring.changes_page", "authoring.edit",
    "authoring.learner_preview", "authoring.revisions_page",
    # The .eml files of development mail: the network administrator's only.
    "mail.file", "mail.file_html",
}
# Arguments that name one learner's object, or one centre's programme, intake or report: a
# 200 there is a success whatever it shows.
PERSONAL = {"user_id", "attempt_id", "assessment_id", "certificate_code", "intake_id",
            "programme_id", "centre_id"}


def _relation(viewer_centre: str, target_centre: str) -> str:
    if viewer_centre == target_centre:
        return "own"
    return "hub" if target_centre == "HUB" else "other"


@pytest.fixture
def matrix(app: Flask, people: dict[str, User], make_user: Callable[..., User],
           make_course: Callable[..., Course], clock: Any) -> dict[str, Any]:
    grace = people["grace"]
    course = make_course("matrix-course", [
        ModuleFile("report", body=ESSAY_QUIZ),
        ModuleFile("gowning", modality="hands-on", session={"capacity": 10},
                   blocks=[checklist("signoff", ["Washes hands {critical}"],
                                     pass_mark="all critical")]),
    ])
    now = clock()
    hub = ensure_hub(now)
    centres = {"HUB": hub}
    for code in ("AAA", "BBB"):
        centres[code] = create_centre(grace, CentreDetails(
            code=code, name=f"Centre {code}", country="KE", timezone="Africa/Nairobi",
            languages=("en",)), now)
    quiz = db.session.scalars(select(Quiz).where(Quiz.course_id == course.id)).one()
    sheet = db.session.scalars(select(Checklist).where(Checklist.course_id == course.id)).one()
    gowning = db.session.scalars(select(Module).where(Module.course_id == course.id,
                                                      Module.slug == "gowning")).one()
    session = schedule_session(grace, course, Schedule(
        gowning, now + timedelta(days=2), now + timedelta(days=2, hours=2), "UTC", 10, grace,
        location="Cleanroom 1"),
        now)
    found: dict[str, Any] = {"course": course, "session": session.id}
    for code, centre in centres.items():
        low = code.lower()
        staff = make_user(f"staff-{low}@example.org", name=f"Staff {code}")
        admin = make_user(f"admin-{low}@example.org", name=f"Admin {code}")
        officer = make_user(f"officer-{low}@example.org", name=f"Officer {code}")
        learner = make_user(f"learner-{low}@example.org", name=f"Learner {code}")
        for role in ("instructor", "assessor"):
            grant_centre_role(grace, centre, staff, role, now)
            assign_staff(grace, course, staff, role, now)
        grant_centre_role(grace, centre, admin, "centre_admin", now)
        grant_centre_role(grace, centre, officer, "programme_officer", now)
        enrolment = enrol(learner, course, now, centre_id=centre.id)
        attempt = start_attempt(learner, quiz, now)
        save_answers(learner, attempt, {item["key"]: ["I inform QA. " * 5]
                                        for item in attempt.snapshot
                                        if item["kind"] == "essay"}, 1, now)
        submit_attempt(learner, attempt, now)
        register_for_session(learner, session, now)
        request_assessment(learner, sheet, now)
        assessment = open_assessment(staff, sheet, learner, now)
        certificate = Certificate(
            code=f"{code}{'X' * 21}", user_id=learner.id, course_id=course.id,
            enrolment_id=enrolment.id, learner_name=learner.name,
            course_title=course.title, completed_at=now, issued_at=now)
        db.session.add(certificate)
        programme = Programme(centre_id=centre.id, code=f"P-{code}", title=f"Programme {code}",
                              created_at=now)
        db.session.add(programme)
        db.session.flush()
        db.session.add(ProgrammeCourse(programme_id=programme.id, course_id=course.id,
                                       position=1))
        intake = Intake(centre_id=centre.id, programme_id=programme.id, code=f"I-{code}",
                        title=f"Intake {code}", starts_on=now.date(),
                        ends_on=(now + timedelta(days=10)).date(), timezone="UTC", seats=30,
                        created_at=now)
        db.session.add(intake)
        db.session.flush()
        db.session.add(IntakeMember(intake_id=intake.id, user_id=learner.id, added_at=now))
        found[code] = {
            "viewers": {"staff": staff, "admin": admin, "officer": officer,
                        "learner": learner},
            "learner": learner,
            "values": {"user_id": learner.id, "code": code, "course_slug": course.slug,
                       "module_slug": "report", "quiz_slug": "deviation-report",
                       "checklist_slug": "signoff", "session_id": session.id,
                       "attempt_id": attempt.id, "assessment_id": assessment.id,
                       "certificate_code": certificate.code, "intake_id": intake.id,
                       "programme_id": programme.id, "centre_id": centre.id,
                       "name": "countries"},
        }
    db.session.commit()
    return found


# Calls, their applications, reviews, selection and offers have a matrix of their own, of
# applicants, reviewers and officers: tests/calls/test_access_matrix.py.
# A call's funnel report (reports.call_funnel*) takes a call_id, which this matrix cannot
# fill: tests/reports/test_funnel.py checks its officers and refusals.
CALL_BLUEPRINTS = ("calls.", "applications.", "reviews.", "selection.", "offers.",
                   "reports.call_funnel")


def _rules(app: Flask) -> list[tuple[str, str]]:
    return sorted((rule.endpoint, rule.rule) for rule in app.url_map.iter_rules()
                  if "GET" in (rule.methods or ()) and rule.arguments
                  and rule.endpoint not in PUBLIC | SKIPPED
                  and not rule.endpoint.startswith(CALL_BLUEPRINTS))


def _fill(endpoint: str, rule: str, values: dict[str, Any]) -> tuple[str, set[str]]:
    """The rule's path for one target, and the names of the arguments it took."""
    names = dict(values)
    if endpoint.startswith("certificates."):
        names["code"] = values["certificate_code"]  # a certificate's code, not a centre's
    used = set()
    path = rule
    for name, value in names.items():
        for placeholder in (f"<int:{name}>", f"<{name}>"):
            if placeholder in path:
                path = path.replace(placeholder, str(value))
                used.add("certificate_code" if endpoint.startswith("certificates.")
                         and name == "code" else name)
    return path, used


def test_every_route_with_an_argument_is_in_the_matrix(app: Flask) -> None:
    fillable = {"user_id", "code", "course_slug", "module_slug", "quiz_slug",
                "checklist_slug", "session_id", "attempt_id", "assessment_id", "intake_id",
                "programme_id", "centre_id", "name"}
    unfilled = [rule for _endpoint, rule in _rules(app)
                if not {a.split(":")[-1] for a in _arguments(rule)} <= fillable]
    assert unfilled == []


def _arguments(rule: str) -> set[str]:
    import re

    return set(re.findall(r"<([^>]+)>", rule))


def test_the_access_matrix_has_no_unexpected_success(app: Flask, matrix: dict[str, Any]
                                                     ) -> None:
    rules = _rules(app)
    assert len(rules) >= 45
    unexpected, allowed_seen = [], 0
    for viewer_code in CENTRES:
        for kind in VIEWERS:
            viewer = matrix[viewer_code]["viewers"][kind]
            g.pop("_login_user", None)  # the test's app context is every request's
            client = app.test_client()
            login(client, viewer.email)
            for target in CENTRES:
                learner_name = matrix[target]["learner"].name
                relation = _relation(viewer_code, target)
                for endpoint, rule in rules:
                    path, used = _fill(endpoint, rule, matrix[target]["values"])
                    response = client.get(path)
                    if response.status_code != 200:
                        continue
                    body = response.get_data(as_text=True) if response.mimetype in (
                        "text/html", "text/csv", "text/calendar") else ""
                    personal = bool(used & PERSONAL) or endpoint.startswith("centres.")
                    if not personal and learner_name not in body:
                        continue
                    if (kind, relation) in ALLOWED:
                        allowed_seen += 1
                    else:
                        unexpected.append(f"{kind} of {viewer_code} -> {target} "
                                          f"({relation}): {path}")
    assert unexpected == [], "\n".join(unexpected)
    assert allowed_seen > 0  # the matrix does reach the pages
