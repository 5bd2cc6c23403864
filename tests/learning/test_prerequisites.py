"""Prerequisites are enforced by the services: every way of completing a module (reading, an
assessment passed or released, attendance, a sign-off) is refused while it is locked, and no
caller can tell a service that it is open."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.classroom.services import (
    Mark,
    Schedule,
    record_attendance,
    register_for_session,
    schedule_session,
)
from app.content.models import Checklist, Course, Module, Quiz
from app.core.auth import can
from app.core.errors import DomainError
from app.extensions import db
from app.grading.services import EssayGrade, grade_attempt, release_grades
from app.learning.models import ModuleProgress
from app.learning.queries import course_view
from app.learning.rules import State
from app.learning.services import assign_staff, complete_module, enrol
from app.practicals.services import ItemMark, open_assessment, save_marks, sign_assessment
from app.quizzes.models import Attempt
from app.quizzes.services import save_answers, start_attempt, submit_attempt
from app.records.models import Event, Signature
from app.records.services import verify_chain
from tests.conftest import DEFAULT_PASSWORD, count_queries, login
from tests.course_files import module_md

SLUG = "aseptic-basics"
# Numeric and essay questions only: what is posted does not depend on how choices are sent.
CHECK = """
```quiz
id: check
pass_mark: 50%
1.  Particles per m³ allowed at 0.5 µm in grade A at rest?
    = 3520
```
"""
ESSAY = """
```quiz
id: report
pass_mark: 50%
1.  A colleague back-dated an entry. What do you do?
    ___
    rubric:
    - 4: Leaves the record untouched and informs QA
```
"""
CHECKLIST = """
```checklist
id: gowning
pass_mark: all critical, 90%
- [ ] Puts on the sterile coverall without it touching the floor {critical}
```
"""
SESSION_AT = datetime(2026, 3, 9, 1, 0, tzinfo=UTC)


def _files(*, locked: bool) -> dict[str, str]:
    """Every module after the first needs it when `locked`; without, all are open."""
    after = "prerequisites: [intro]\n" if locked else ""
    return {
        "01-intro.md": module_md("Intro"),
        "02-reading.md": module_md("Reading", extra=after),
        "03-check.md": module_md("Check", extra=after, body=CHECK),
        "04-report.md": module_md("Report", extra=after, body=ESSAY),
        "05-live.md": module_md("Live", extra="modality: classroom\n" + after
                                + "session:\n  attendance: required\n"),
        "06-gowning.md": module_md("Gowning", extra="modality: hands-on\n" + after,
                                   body=CHECKLIST),
    }


@pytest.fixture
def course(app, clock, import_files, people):
    """Writes and imports the course; call it again to change whether modules are locked."""

    def make(*, locked: bool = True) -> Course:
        found = import_files(_files(locked=locked), slug=SLUG)
        if not locked:
            ivan = people["ivan"]
            for role in ("instructor", "assessor"):
                assign_staff(people["grace"], found, ivan, role, clock())
            enrol(people["amina"], found, clock())
            enrol(people["kim"], found, clock())
        db.session.commit()
        return found

    return make


def module(slug: str) -> Module:
    found = db.session.scalar(select(Module).where(Module.slug == slug))
    assert found is not None
    return found


def completed(learner: User, slug: str) -> bool:
    return db.session.scalar(select(ModuleProgress.completed_version).where(
        ModuleProgress.user_id == learner.id,
        ModuleProgress.module_id == module(slug).id)) is not None


def completions(learner: User) -> list[tuple[str, str]]:
    return [(d["module"], d["via"]) for d in db.session.scalars(
        select(Event.details).where(Event.action == "module.completed",
                                    Event.learner_id == learner.id).order_by(Event.seq))]


def locked_course(course, clock):
    """Open while the staff and learners are set up, then locked behind the intro."""
    course(locked=False)
    return course(locked=True)


def test_reading_a_locked_module_is_refused(course, people, clock) -> None:
    locked_course(course, clock)
    amina = people["amina"]
    with pytest.raises(DomainError, match="locked"):
        complete_module(amina, module("reading"), clock())
    assert not completed(amina, "reading")
    complete_module(amina, module("intro"), clock())
    assert complete_module(amina, module("reading"), clock())
    assert completions(amina) == [("intro", "read"), ("reading", "read")]


def test_the_complete_button_of_a_locked_module_completes_nothing(client, course, people,
                                                                   clock) -> None:
    locked_course(course, clock)
    amina = people["amina"]
    login(client, amina.email)
    page = client.post(f"/learning/{SLUG}/modules/reading/complete", follow_redirects=True)
    assert "finish its prerequisites first" in page.get_data(as_text=True)
    assert not completed(amina, "reading")
    client.post(f"/learning/{SLUG}/modules/intro/complete")
    client.post(f"/learning/{SLUG}/modules/reading/complete")
    assert completed(amina, "reading")


def test_a_view_read_for_someone_else_is_not_believed(course, people, clock) -> None:
    locked_course(course, clock)
    amina, kim = people["amina"], people["kim"]
    complete_module(kim, module("intro"), clock())
    kims = course_view(SLUG, kim)
    assert kims is not None and kims.progress.states["reading"] == State.NOT_STARTED
    with pytest.raises(DomainError, match="locked"):
        complete_module(amina, module("reading"), clock(), view=kims)
    assert not completed(amina, "reading")
    # Amina's own view saves reading her rows again, and its lock is still worked out.
    complete_module(amina, module("intro"), clock())
    db.session.commit()
    reading = module("reading")
    view = course_view(SLUG, amina)
    with count_queries() as given:
        complete_module(amina, reading, clock(), view=view)
    db.session.rollback()
    with count_queries() as read:
        complete_module(amina, module("reading"), clock())
    assert len(given) < len(read)


def test_policies_take_the_staff_roles_from_the_viewers_own_view(course, people) -> None:
    """A page's course view read the viewer's staff roles with their other rows: a policy
    handed the view asks nothing more, and a view read for someone else is not believed."""
    found = course(locked=False)
    ivan, kim = people["ivan"], people["kim"]
    ivans, kims = course_view(SLUG, ivan), course_view(SLUG, kim)
    assert ivans is not None and kims is not None
    assert ivans.staff_roles == {"instructor", "assessor"} and kims.staff_roles == set()
    with count_queries() as statements:
        assert can(ivan, "course.manage", ivans) and can(ivan, "course.preview", ivans)
        assert not can(kim, "course.preview", kims)
    # Kim is on no course staff: whether she administers a centre offering the course is
    # her centre roles, read once for her account (centres.scope), then known.
    assert len(statements) == 1 and "centre_roles" in statements[0]
    # Someone else's view is read again, not believed; so is a bare course.
    with count_queries() as statements:
        assert can(ivan, "course.manage", kims)
        assert not can(kim, "course.manage", ivans)
        assert can(ivan, "course.preview", found)
    assert len(statements) == 3


def test_an_assessment_cannot_start_on_a_locked_module(course, people, clock) -> None:
    locked_course(course, clock)
    amina = people["amina"]
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == "check"))
    assert quiz is not None
    with pytest.raises(DomainError, match="locked"):
        start_attempt(amina, quiz, clock())
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0


def test_a_pass_on_a_module_locked_since_completes_it_only_after_its_prerequisites(
        course, people, clock) -> None:
    course(locked=False)
    amina = people["amina"]
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == "check"))
    assert quiz is not None
    attempt = start_attempt(amina, quiz, clock())
    db.session.commit()
    course(locked=True)  # the author adds a prerequisite while the attempt is open
    save_answers(amina, attempt, {"1": ["3520"]}, 1, clock())
    assert submit_attempt(amina, attempt, clock())
    assert attempt.passed is True
    assert not completed(amina, "check")
    complete_module(amina, module("intro"), clock())
    assert completed(amina, "check")  # the pass counts once the module opens
    assert ("check", "assessment") in completions(amina)
    db.session.commit()
    assert verify_chain().ok


def test_a_released_grade_on_a_locked_module_does_not_complete_it(course, people,
                                                                  clock) -> None:
    course(locked=False)
    amina, ivan = people["amina"], people["ivan"]
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == "report"))
    assert quiz is not None
    attempt = start_attempt(amina, quiz, clock())
    save_answers(amina, attempt, {"1": ["I leave it and tell QA."]}, 1, clock())
    submit_attempt(amina, attempt, clock())
    db.session.commit()
    course(locked=True)
    grade_attempt(ivan, attempt, {"1": EssayGrade([4], ["Right"])}, clock())
    release_grades(ivan, [attempt], password=DEFAULT_PASSWORD, now=clock())
    assert attempt.passed is True and attempt.released_at is not None
    assert not completed(amina, "report")
    complete_module(amina, module("intro"), clock())
    assert completed(amina, "report")


def _live_session(course_row: Course, ivan: User, clock):
    return schedule_session(ivan, course_row, Schedule(
        module=module("live"), starts_at=SESSION_AT, ends_at=SESSION_AT + timedelta(hours=2),
        timezone="UTC", capacity=8, facilitator=ivan,
        location="Room 2"), clock())


def test_attendance_at_a_locked_module_does_not_complete_it(course, people, clock) -> None:
    course_row = locked_course(course, clock)
    amina, kim, ivan = people["amina"], people["kim"], people["ivan"]
    session = _live_session(course_row, ivan, clock)
    complete_module(kim, module("intro"), clock())
    for learner in (amina, kim):
        register_for_session(learner, session, clock())
    record_attendance(ivan, session, {amina.id: Mark("present"), kim.id: Mark("present")},
                      SESSION_AT)
    assert completed(kim, "live")  # open for Kim: the attendance completes it
    assert not completed(amina, "live")  # locked for Amina: kept on record, completes nothing
    assert db.session.scalar(select(func.count()).select_from(Event).where(
        Event.action == "attendance.recorded", Event.learner_id == amina.id)) == 1
    complete_module(amina, module("intro"), clock())
    assert completed(amina, "live")
    assert completions(amina) == [("intro", "read"), ("live", "attendance")]


def _marked_on_a_locked_module(course, people, clock):
    """Ivan has marked every item of Amina's gowning checklist met; the module is locked."""
    locked_course(course, clock)
    amina, ivan = people["amina"], people["ivan"]
    checklist = db.session.scalar(select(Checklist))
    assert checklist is not None
    assessment = open_assessment(ivan, checklist, amina, clock())
    save_marks(ivan, assessment, {i["key"]: ItemMark("met") for i in assessment.items},
               clock())
    return amina, ivan, assessment


def test_a_sign_off_on_a_locked_module_is_refused(course, people, clock) -> None:
    amina, ivan, assessment = _marked_on_a_locked_module(course, people, clock)
    with pytest.raises(DomainError, match="still locked for Amina Yusuf"):
        sign_assessment(ivan, assessment, password=DEFAULT_PASSWORD, now=clock())
    assert assessment.state == "open" and assessment.signature_id is None
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0
    assert not completed(amina, "gowning")
    complete_module(amina, module("intro"), clock())
    sign_assessment(ivan, assessment, password=DEFAULT_PASSWORD, now=clock())
    assert assessment.state == "signed" and completed(amina, "gowning")


def test_the_sign_page_says_why_a_locked_module_is_not_signed(client, course, people,
                                                              clock) -> None:
    amina, ivan, assessment = _marked_on_a_locked_module(course, people, clock)
    db.session.commit()
    login(client, ivan.email)
    page = client.post(f"/practicals/{assessment.id}/sign",
                       data={"password": DEFAULT_PASSWORD, "confirm": "y"})
    assert page.status_code == 200
    assert "This module is still locked for Amina Yusuf" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0
    assert not completed(amina, "gowning")


def test_a_missing_course_is_named_by_its_title_where_the_module_is_locked(
        client, make_course, people) -> None:
    make_course("gxp-basics", title="GxP Standard Practice")
    make_course("advanced", ["intro"], title="Advanced", prerequisites=["gxp-basics"])
    login(client, "amina@example.org")
    client.post("/learning/advanced/enrol")
    page = client.get("/learning/advanced/modules/intro").get_data(as_text=True)
    assert "Complete these courses first: GxP Standard Practice." in page
