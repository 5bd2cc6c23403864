"""A worker keeps each quiz's paper (its questions as attempts are given them) per course
generation: a start reads them once, an import gives the next attempt the new questions
without anything invalidated by hand, and no attempt's snapshot shares the paper's data."""

from __future__ import annotations

from sqlalchemy import select

from app.content.models import Quiz
from app.extensions import db
from app.learning.queries import course_view
from app.learning.services import enrol
from app.quizzes.papers import PAPERS
from app.quizzes.services import start_attempt
from tests.conftest import count_queries
from tests.course_files import module_md

QUIZ = """
```quiz
id: check
pass_mark: 50%
1.  {prompt}
    (x) Grade A
    ( ) Grade D
2.  Particles per m³ allowed at 0.5 µm in grade A at rest?
    = 3520
```
"""


def _import(import_files, prompt: str = "Which grade is the critical zone?"):
    return import_files({"01-aseptic.md": module_md("Aseptic", body=QUIZ.format(prompt=prompt))})


def _start(learner, clock):
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == "check"))
    assert quiz is not None
    view = course_view("aseptic-basics", learner)
    assert view is not None
    attempt = start_attempt(learner, quiz, clock(), view=view)
    db.session.commit()
    return attempt


def test_a_paper_is_read_once_per_generation(app, import_files, people, clock) -> None:
    course = _import(import_files)
    for name in ("amina", "kim"):
        enrol(people[name], course, clock())
    db.session.commit()
    with count_queries() as first:
        amina = _start(people["amina"], clock)
    with count_queries() as second:
        kim = _start(people["kim"], clock)
    assert len(PAPERS) == 1
    assert not any("FROM questions" in s for s in second), second
    assert any("FROM questions" in s for s in first)
    assert len(second) < len(first)
    assert [item["prompt_html"] for item in kim.snapshot] == [
        item["prompt_html"] for item in amina.snapshot]


def test_an_import_gives_the_next_attempt_its_new_questions(app, import_files, people,
                                                          clock) -> None:
    course = _import(import_files)
    enrol(people["amina"], course, clock())
    enrol(people["kim"], course, clock())
    db.session.commit()
    before = _start(people["amina"], clock)
    assert "critical zone" in before.snapshot[0]["prompt_html"]
    _import(import_files, prompt="Which grade is the aseptic core?")  # a new generation
    after = _start(people["kim"], clock)
    assert "aseptic core" in after.snapshot[0]["prompt_html"]
    assert "critical zone" in before.snapshot[0]["prompt_html"]


def test_no_snapshot_shares_the_papers_data(app, import_files, people, clock) -> None:
    course = _import(import_files)
    enrol(people["amina"], course, clock())
    enrol(people["kim"], course, clock())
    db.session.commit()
    first = _start(people["amina"], clock)
    first.snapshot[0]["data"]["choices"][0]["text_html"] = "changed in memory"
    second = _start(people["kim"], clock)
    assert second.snapshot[0]["data"]["choices"][0]["text_html"] != "changed in memory"
    assert second.snapshot[0]["data"] is not first.snapshot[0]["data"]


def test_worded_once_per_locale(app) -> None:
    """The points under each question and the autosave script's words are kept per worker
    and interface locale: one locale's never shows in another's page."""
    from flask_babel import force_locale

    from app.quizzes.routes import AUTOSAVE_STRINGS, autosave_strings
    from app.quizzes.types import POINTS_TEXTS, points_text

    with app.test_request_context("/"):
        assert points_text(0.5) == "0.5 points" and points_text(1) == "1 point"
        english = autosave_strings()
        with force_locale("fr"):
            assert points_text(0.5).startswith("0,5")
            french = autosave_strings()
        assert points_text(0.5) == "0.5 points"
        assert autosave_strings() is english and english["language"] == "en"
        assert french["language"] == "fr" and french["saving"] != english["saving"]
        assert len(POINTS_TEXTS) == 3 and len(AUTOSAVE_STRINGS) == 2
