"""Grading essays: queue, authorization, append-only grades, final score, completion."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.content.importer import import_courses
from app.content.loader import load_courses
from app.content.models import Course, Quiz
from app.core.errors import PermissionDenied, ValidationError
from app.extensions import db
from app.grading.models import QuestionGrade
from app.grading.services import (
    EssayGrade,
    awaiting_release,
    grade_attempt,
    grading_queue,
    release_grades,
)
from app.learning.queries import course_view
from app.learning.rules import State
from app.learning.services import assign_staff, enrol
from app.quizzes.models import Attempt
from app.quizzes.services import save_answers, start_attempt, submit_attempt
from app.records.models import Event, Signature
from app.records.signatures import Refused
from tests.catalogs import Messages
from tests.conftest import (
    DEFAULT_PASSWORD,
    choice_token,
    committed,
    committed_refusals,
    login,
)
from tests.course_files import ESSAY_QUIZ, module_md


@pytest.fixture
def submitted(app, clock, import_files, people):
    course = import_files({"01-report.md": module_md("Report", body=ESSAY_QUIZ)})
    assign_staff(people["grace"], course, people["ivan"], "assessor", clock())
    enrol(people["amina"], course, clock())
    quiz = db.session.scalars(select(Quiz)).one()
    attempt = start_attempt(people["amina"], quiz, clock())
    save_answers(people["amina"], attempt, {"1": [choice_token(attempt, "1", 0)],
                                          "2": ["I tell QA at once."]}, 1,
                 clock())
    submit_attempt(people["amina"], attempt, clock())
    db.session.commit()
    return attempt


def test_essays_wait_in_the_assessors_queue(submitted, people, clock) -> None:
    assert submitted.state == "awaiting_grading" and submitted.passed is None
    assert [i.attempt.id for i in grading_queue(people["ivan"], now=clock())] == [submitted.id]
    assert grading_queue(people["olu"], now=clock()) == []  # not an assessor of the course
    assert len(grading_queue(people["grace"], now=clock())) == 1  # admins see all
    assert grading_queue(people["ivan"], older_than_days=2, now=clock()) == []
    assert len(grading_queue(people["ivan"], older_than_days=2,
                             now=clock.advance(days=3))) == 1


def test_grading_then_a_signed_release_completes_the_module(submitted, people,
                                                            clock) -> None:
    ivan, amina = people["ivan"], people["amina"]
    grade_attempt(ivan, submitted, {"2": EssayGrade([4, 1], ["Good", "Only ALCOA"],
                                                    "Well reasoned")}, clock())
    db.session.commit()
    # 1 point for the choice + 5 of the essay's 6 -> 6 of 7.
    assert (submitted.state, submitted.score, submitted.percent, submitted.passed) == (
        "graded", 6.0, 85.71, True)
    assert submitted.released_at is None
    view = course_view("aseptic-basics", amina)
    assert view is not None and view.progress.states["report"] != State.COMPLETE
    assert [i.attempt.id for i in awaiting_release(ivan)] == [submitted.id]
    refusal = release_grades(ivan, [submitted], password="wrong password", now=clock())
    assert isinstance(refusal, Refused) and "not right" in refusal.error.message
    assert submitted.released_at is None  # nothing released on a refused signature
    db.session.rollback()
    signature = release_grades(ivan, [submitted], password=DEFAULT_PASSWORD, now=clock())
    db.session.commit()
    assert isinstance(signature, Signature) and signature.meaning.startswith("Grades released")
    assert submitted.released_at == clock() and awaiting_release(ivan) == []
    view = course_view("aseptic-basics", amina)
    assert view is not None and view.progress.states["report"] == State.COMPLETE
    changed = db.session.scalar(select(Event).where(Event.action == "grade.changed"))
    assert changed is not None and changed.actor_id == ivan.id
    assert changed.details["points"] == {"old": None, "new": 5.0}


def test_a_regrade_keeps_the_previous_grade(submitted, people, clock) -> None:
    ivan = people["ivan"]
    grade_attempt(ivan, submitted, {"2": EssayGrade([4, 2], ["", ""])}, clock())
    grade_attempt(ivan, submitted, {"2": EssayGrade([1, 0], ["On reflection", ""])},
                  clock.advance(hours=1))
    db.session.commit()
    points = db.session.scalars(select(QuestionGrade.points).order_by(QuestionGrade.id)).all()
    assert points == [6.0, 1.0]
    assert (submitted.score, submitted.passed) == (2.0, False)
    events = db.session.scalars(select(Event.details).where(
        Event.action == "grade.changed").order_by(Event.seq)).all()
    assert [e["points"] for e in events] == [{"old": None, "new": 6.0},
                                             {"old": 6.0, "new": 1.0}]


def test_grading_rules(submitted, people, clock) -> None:
    with pytest.raises(PermissionDenied):
        grade_attempt(people["olu"], submitted, {"2": EssayGrade([1, 1], ["", ""])}, clock())
    with pytest.raises(ValidationError, match="between 0 and 4"):
        grade_attempt(people["ivan"], submitted, {"2": EssayGrade([5, 1], ["", ""])}, clock())
    with pytest.raises(ValidationError, match="every criterion"):
        grade_attempt(people["ivan"], submitted, {"2": EssayGrade([1], [""])}, clock())
    with pytest.raises(ValidationError, match="every written answer"):
        grade_attempt(people["ivan"], submitted, {}, clock())


def test_grading_pages(client, submitted, people) -> None:
    login(client, "amina@example.org")
    assert client.get("/grading/").status_code == 403
    assert client.get(f"/grading/attempts/{submitted.id}").status_code == 403
    client.post("/auth/logout")
    login(client, "olu@example.org")  # an instructor, not an assessor of the course
    assert client.get("/grading/").status_code == 403
    client.post("/auth/logout")
    login(client, "ivan@example.org")
    queue = client.get("/grading/").get_data(as_text=True)
    assert "Amina Yusuf" in queue
    page = client.get(f"/grading/attempts/{submitted.id}").get_data(as_text=True)
    assert "I tell QA at once." in page and "Leaves the record untouched" in page
    bad = client.post(f"/grading/attempts/{submitted.id}",
                      data={"points-2-0": "9", "points-2-1": "1", "note-2": ["", ""]})
    assert "between 0 and 4" in bad.get_data(as_text=True)
    done = client.post(f"/grading/attempts/{submitted.id}",
                       data={"points-2-0": "4", "points-2-1": "2", "note-2": ["Clear", ""],
                             "comment-2": "Excellent answer"})
    assert done.status_code == 302
    client.post("/auth/logout")
    login(client, "amina@example.org")
    review = client.get(f"/quizzes/attempts/{submitted.id}/review").get_data(as_text=True)
    assert "appears here once an assessor releases it" in review
    assert "Excellent answer" not in review and "Passed" not in review
    client.post("/auth/logout")
    login(client, "ivan@example.org")
    queue = client.get("/grading/").get_data(as_text=True)
    assert "Release grades" in queue and "Grades released: reviewed" in queue
    wrong = client.post("/grading/release", data={
        "attempt": str(submitted.id), "password": "not my password", "confirm": "y"})
    assert "The password is not right" in wrong.get_data(as_text=True)
    assert committed_refusals() == 1  # the refusal is kept, and nothing is released
    assert committed(select(Attempt.released_at).where(Attempt.id == submitted.id)) is None
    released = client.post("/grading/release", data={
        "attempt": str(submitted.id), "password": DEFAULT_PASSWORD, "confirm": "y"})
    assert released.status_code == 302
    client.post("/auth/logout")
    login(client, "amina@example.org")
    review = client.get(f"/quizzes/attempts/{submitted.id}/review").get_data(as_text=True)
    assert "Excellent answer" in review and "Passed" in review


def test_a_mistyped_point_value_is_shown_next_to_its_criterion(client, submitted) -> None:
    """A mistyped value used to become "no points" and a form-wide complaint; now the page
    comes back with the criterion named next to its essay, the typed values kept, and
    nothing written."""
    login(client, "ivan@example.org")
    bad = client.post(f"/grading/attempts/{submitted.id}",
                      data={"points-2-0": "4,5x", "points-2-1": "1",
                            "note-2": ["Nearly", "Fine"],
                            "comment-2": "Mostly right"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 200
    assert ('<p class="field-error" id="points-2-error">Criterion 1: the points must be a '
            'number from 0 to 4') in page
    assert page.count('aria-describedby="points-2-error"') == 2
    assert 'value="1" data-points="1" checked' in page  # the other criterion's choice is kept
    assert 'value="Nearly"' in page and "Mostly right" in page
    assert "could not convert" not in page  # float()'s own words
    assert committed(select(db.func.count()).select_from(QuestionGrade)) == 0
    assert committed(select(Attempt.state).where(Attempt.id == submitted.id)) \
        == "awaiting_grading"
    missing = client.post(f"/grading/attempts/{submitted.id}", data={"points-2-0": "3"})
    assert "Criterion 2: choose the points, from 0 to 2." in missing.get_data(as_text=True)
    comma = client.post(f"/grading/attempts/{submitted.id}",
                        data={"points-2-0": "3,5", "points-2-1": "1"})
    assert comma.status_code == 302
    assert [g.criteria[0]["points"] for g in db.session.scalars(select(QuestionGrade))] == [3.5]


def test_gradebook_and_item_analysis(client, submitted, people, clock) -> None:
    ivan = people["ivan"]
    grade_attempt(ivan, submitted, {"2": EssayGrade([4, 2], ["", ""])}, clock())
    release_grades(ivan, [submitted], password=DEFAULT_PASSWORD, now=clock())
    course = db.session.scalars(select(Course)).one()
    assign_staff(people["grace"], course, people["olu"], "instructor", clock())
    db.session.commit()
    login(client, "amina@example.org")
    assert client.get("/grading/aseptic-basics/gradebook").status_code == 403
    client.post("/auth/logout")
    login(client, "olu@example.org")
    page = client.get("/grading/aseptic-basics/gradebook").get_data(as_text=True)
    assert "Amina Yusuf" in page and "best 100% · last 100%" in page and "passed" in page
    response = client.get("/grading/aseptic-basics/gradebook.csv")
    assert response.is_streamed
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0] == "name,email,deviation-report best %,deviation-report last %," \
        "deviation-report passed"
    assert lines[1] == "Amina Yusuf,amina@example.org,100,100,yes"
    analysis = client.get("/grading/aseptic-basics/quizzes/deviation-report/analysis")
    text = analysis.get_data(as_text=True)
    assert "1 released attempt" in text and "everyone right" in text
    assert "A deviation report: 1" in text


def test_regrade_reproduces_grades_when_nothing_changed_and_applies_a_fixed_key(
        submitted, people, clock, write_course) -> None:
    from app.grading.services import regrade_quiz

    ivan, olu = people["ivan"], people["olu"]
    grade_attempt(ivan, submitted, {"2": EssayGrade([4, 2], ["", ""])}, clock())
    release_grades(ivan, [submitted], password=DEFAULT_PASSWORD, now=clock())
    course = db.session.scalars(select(Course)).one()
    assign_staff(people["grace"], course, olu, "instructor", clock())
    db.session.commit()
    quiz = db.session.scalars(select(Quiz)).one()
    before = (submitted.score, submitted.percent, submitted.passed)
    assert regrade_quiz(olu, quiz, clock()).changed == 0
    assert (submitted.score, submitted.percent, submitted.passed) == before
    with pytest.raises(PermissionDenied):
        regrade_quiz(ivan, quiz, clock())  # an assessor, not an instructor of the course

    # The instructor "fixes" the key of question 1 (now the batch record is right).
    fixed = ESSAY_QUIZ.replace("(x) A deviation report", "( ) A deviation report").replace(
        "( ) A batch record", "(x) A batch record")
    folder = write_course({"01-report.md": module_md("Report", body=fixed)})
    courses, _ = load_courses([folder])
    import_courses(courses, now=clock())
    db.session.commit()
    summary = regrade_quiz(olu, quiz, clock.advance(hours=1))
    db.session.commit()
    assert (summary.attempts, summary.changed) == (1, 1)
    assert (submitted.score, submitted.percent) == (6.0, 85.71)  # the essay grade stays
    event = db.session.scalars(select(Event).where(Event.action == "grade.changed")
                               .order_by(Event.seq.desc())).first()
    assert event is not None and event.details["score"] == {"old": 7.0, "new": 6.0}
    assert event.reason == "regrade after an answer key change"


def test_an_assessor_of_another_course_cannot_grade(client, submitted, make_user) -> None:
    from app.core.roles import Role

    make_user("other@example.org", roles=(Role.ASSESSOR,))
    login(client, "other@example.org")
    assert "Nothing is waiting for grading." in client.get("/grading/").get_data(as_text=True)
    assert client.get(f"/grading/attempts/{submitted.id}").status_code == 403
    assert client.post(f"/grading/attempts/{submitted.id}",
                       data={"points-2-0": "4", "points-2-1": "2"}).status_code == 403
    assert client.post("/grading/release", data={
        "attempt": str(submitted.id), "password": DEFAULT_PASSWORD,
        "confirm": "y"}).status_code == 200  # nothing of theirs to release
    db.session.refresh(submitted)
    assert submitted.state == "awaiting_grading"


FRENCH: Messages = {
    "(some criteria are still to grade)": "(des critères restent à noter)",
    "Criterion %(number)s: the points must be between 0 and %(top)s.":
        "Critère %(number)s : les points vont de 0 à %(top)s.",
    "Grades released: reviewed and approved for the learners":
        "Notes publiées : revues et approuvées pour les apprenants",
    ("%(num)d grade released to the learners.", "%(num)d grades released to the learners."):
        ("%(num)d note publiée pour les apprenants.",
         "%(num)d notes publiées pour les apprenants."),
}


def test_the_assessor_grades_and_releases_in_their_language_and_signs_in_english(
        submitted, people, make_translated_app) -> None:
    french = make_translated_app("fr", FRENCH)
    visitor, fr = french.test_client(), {"Accept-Language": "fr"}
    login(visitor, "ivan@example.org")
    page = visitor.get(f"/grading/attempts/{submitted.id}", headers=fr).get_data(as_text=True)
    # The running total's script reads its words from the page.
    assert 'data-still-to-grade="(des critères restent à noter)"' in page
    bad = visitor.post(f"/grading/attempts/{submitted.id}", headers=fr,
                       data={"points-2-0": "9", "points-2-1": "1", "note-2": ["", ""]})
    assert "Critère 1 : les points vont de 0 à 4." in bad.get_data(as_text=True)
    visitor.post(f"/grading/attempts/{submitted.id}", headers=fr,
                 data={"points-2-0": "4", "points-2-1": "2", "note-2": ["", ""]})
    queue = visitor.get("/grading/", headers=fr).get_data(as_text=True)
    assert "Notes publiées : revues et approuvées pour les apprenants" in queue
    released = visitor.post("/grading/release", headers=fr, follow_redirects=True, data={
        "attempt": str(submitted.id), "password": DEFAULT_PASSWORD, "confirm": "y"})
    assert "1 note publiée pour les apprenants." in released.get_data(as_text=True)
    assert committed(select(Signature.meaning)) == (
        "Grades released: reviewed and approved for the learners")
