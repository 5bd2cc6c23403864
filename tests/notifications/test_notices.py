"""The notices of the features' own changes, each through its service: the entry (person,
kind, link), the queued mail (recipient, language, subject), and nothing at all when the
change rolls back."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.auth.models import User
from app.certificates.models import Certificate
from app.classroom.services import Mark, record_attendance, register_for_session
from app.content.models import Quiz
from app.core.roles import Role
from app.extensions import db
from app.grading.services import EssayGrade, grade_attempt, release_grades
from app.learning.services import assign_staff, complete_module, enrol
from app.mail.models import OutboxMessage
from app.mail.outbox import MAIL_FAILED, FailedMail
from app.notifications.failed import tell_administrators
from app.notifications.kinds import Mode
from app.notifications.models import Notification
from app.notifications.services import set_preferences
from app.practicals.models import PracticalAssessment
from app.practicals.services import ItemMark, open_assessment, save_marks, sign_assessment
from app.quizzes.models import Attempt
from app.quizzes.services import save_answers, start_attempt, submit_attempt
from tests.blended import Gxp, complete_virtual_parts, unlock_gowning
from tests.conftest import DEFAULT_PASSWORD, choice_token
from tests.course_files import ESSAY_QUIZ, module_md

DAY = datetime(2026, 3, 9, 0, 0, tzinfo=UTC)
LATER = DAY.replace(hour=4)


def _entries(user: User) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.id)))


def _mails(user: User) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.user_id == user.id)
                                   .order_by(OutboxMessage.id)))


def _parsed(row: OutboxMessage) -> email.message.EmailMessage:
    return email.message_from_bytes(row.message, policy=email.policy.default)


def _told_once(user: User, kind: str, url: str, subject: str,
               language: str) -> Notification:
    """The one entry of `kind` for `user`, and its one mail, in `language`."""
    [entry] = [entry for entry in _entries(user) if entry.kind == kind]
    assert (entry.user_id, entry.url, entry.subject, entry.mail) == (user.id, url, subject,
                                                                     "queued")
    [row] = [row for row in _mails(user) if row.kind == kind]
    message = _parsed(row)
    assert (row.recipient, row.subject) == (user.email, subject)
    assert str(message["Subject"]).strip() == subject  # a folded encoded header
    assert message["Content-Language"] == language
    return entry


def _fresh(user: User) -> User:
    """The person again, after a rollback expired the object."""
    found = db.session.get(User, user.id)
    assert found is not None
    return found


def _nothing_for(user: User) -> None:
    assert _entries(user) == [] and _mails(user) == []


# --- results released -------------------------------------------------------------------------

@pytest.fixture
def graded(app, clock, import_files, people) -> Attempt:
    amina, ivan = people["amina"], people["ivan"]
    course = import_files({"01-report.md": module_md("Report", body=ESSAY_QUIZ)})
    assign_staff(people["grace"], course, ivan, "assessor", clock())
    enrol(amina, course, clock())
    quiz = db.session.scalars(select(Quiz)).one()
    attempt = start_attempt(amina, quiz, clock())
    save_answers(amina, attempt, {"1": [choice_token(attempt, "1", 0)],
                                  "2": ["I tell QA at once."]}, 1, clock())
    submit_attempt(amina, attempt, clock())
    grade_attempt(ivan, attempt, {"2": EssayGrade([4, 1], ["Good", "Only ALCOA"], "")},
                  clock())
    amina.language = "fr"
    db.session.commit()
    return attempt


def test_released_results_are_told_to_the_learner_in_their_language(graded, people,
                                                                    clock) -> None:
    amina, ivan = people["amina"], people["ivan"]
    release_grades(ivan, [graded], password=DEFAULT_PASSWORD, now=clock())
    db.session.rollback()
    _nothing_for(amina)
    release_grades(ivan, [graded], password=DEFAULT_PASSWORD, now=clock())
    db.session.commit()
    entry = _told_once(amina, "grading.results_released", f"/quizzes/attempts/{graded.id}/review",
                       "Vos résultats pour deviation-report sont publiés", "fr")
    assert "deviation-report" in entry.summary
    assert [e.kind for e in _entries(ivan)] == []


# --- a sign-off recorded ----------------------------------------------------------------------

def _marked(gxp: Gxp, learner: User, clock) -> PracticalAssessment:
    unlock_gowning(gxp, learner, clock())
    assessment = open_assessment(gxp.instructor, gxp.checklist, learner, DAY)
    save_marks(gxp.instructor, assessment,
               {i["key"]: ItemMark("met") for i in assessment.items}, DAY)
    db.session.commit()
    return assessment


def test_a_recorded_sign_off_is_told_to_the_learner(gxp: Gxp, clock) -> None:
    amina = gxp.learners[0]
    assessment = _marked(gxp, amina, clock)
    before = {e.id for e in _entries(amina)}
    sign_assessment(gxp.instructor, assessment, password=DEFAULT_PASSWORD, now=DAY)
    db.session.rollback()
    assert {e.id for e in _entries(amina)} == before
    assert [row for row in _mails(amina) if row.kind == "practicals.signoff_recorded"] == []
    amina = _fresh(amina)
    sign_assessment(gxp.instructor, assessment, password=DEFAULT_PASSWORD, now=DAY)
    db.session.commit()
    checklist = gxp.checklist
    entry = _told_once(amina, "practicals.signoff_recorded",
                       f"/practicals/courses/{gxp.course.slug}/{checklist.slug}/mine",
                       f"Your sign-off for {checklist.title or checklist.slug} is recorded",
                       "en")
    assert "signed you off as competent" in entry.summary
    assert gxp.instructor.name in entry.summary


# --- a certificate issued ---------------------------------------------------------------------

def test_an_issued_certificate_is_told_to_the_learner(gxp: Gxp, clock) -> None:
    amina = gxp.learners[0]
    complete_virtual_parts(gxp, amina, clock())
    workshop = gxp.schedule(gxp.workshop, DAY)
    practical = gxp.schedule(gxp.gowning, LATER)
    for session in (workshop, practical):
        register_for_session(amina, session, clock())
    record_attendance(gxp.instructor, workshop, {amina.id: Mark("present")}, DAY)
    complete_module(amina, gxp.workshop, DAY, via="assessment")
    record_attendance(gxp.instructor, practical, {amina.id: Mark("present")}, LATER)
    assessment = open_assessment(gxp.instructor, gxp.checklist, amina, LATER)
    save_marks(gxp.instructor, assessment,
               {i["key"]: ItemMark("met") for i in assessment.items}, LATER)
    amina.language = "es"
    db.session.commit()
    sign_assessment(gxp.instructor, assessment, password=DEFAULT_PASSWORD, now=LATER)
    assert db.session.scalar(select(Certificate)) is not None
    db.session.rollback()
    assert db.session.scalar(select(Certificate)) is None
    assert [e for e in _entries(amina) if e.kind == "certificates.issued"] == []
    assert [row for row in _mails(amina) if row.kind == "certificates.issued"] == []
    amina = _fresh(amina)
    sign_assessment(gxp.instructor, assessment, password=DEFAULT_PASSWORD, now=LATER)
    db.session.commit()
    certificate = db.session.scalars(select(Certificate)).one()
    entry = _told_once(amina, "certificates.issued",
                       f"/certificates/{certificate.code}.pdf",
                       f"Su certificado de {certificate.course_title}", "es")
    assert certificate.display_code in entry.summary


# --- a failed mail ----------------------------------------------------------------------------

def _failure(user: User, kind: str = "enrolment.decided") -> FailedMail:
    return FailedMail(id=7, kind=kind, recipient=user.email, user_id=user.id,
                      subject="You are enrolled in GMP basics", attempts=8,
                      last_error="ConnectionRefusedError")


def test_a_failed_mail_is_told_to_every_administrator(app, people, make_user, clock) -> None:
    grace, amina = people["grace"], people["amina"]
    sun = make_user("sun@example.org", name="Sun Admin", roles=(Role.ADMIN,))
    sun.language = "ko"
    set_preferences(sun, {"mail.failed": Mode.IMMEDIATELY}, clock())
    db.session.commit()
    assert tell_administrators in MAIL_FAILED.all()
    tell_administrators(_failure(amina), clock())
    db.session.rollback()
    _nothing_for(grace)
    _nothing_for(sun)
    tell_administrators(_failure(amina), clock())
    db.session.commit()
    # Grace kept the kind's default, the morning's digest: an entry, no mail yet.
    [kept] = _entries(grace)
    assert (kept.kind, kept.url, kept.mail) == ("mail.failed", "/mail/outbox", "digest")
    assert kept.subject == "A message to amina@example.org could not be delivered"
    assert "8" in kept.summary and "You are enrolled in GMP basics" in kept.summary
    assert _mails(grace) == []
    # Sun asked for it at once: in Korean.
    entry = _told_once(sun, "mail.failed", "/mail/outbox", _korean_subject(), "ko")
    assert "amina@example.org" in entry.subject
    _nothing_for(amina)  # nor the learners, nor the other staff
    _nothing_for(people["ivan"])


def _korean_subject() -> str:
    with force_locale("ko"):
        return gettext("A message to %(recipient)s could not be delivered",
                       recipient="amina@example.org")


def test_a_failed_notice_of_a_failed_mail_is_not_told_again(app, people, clock) -> None:
    tell_administrators(_failure(people["amina"], kind="mail.failed"), clock())
    db.session.commit()
    _nothing_for(people["grace"])
