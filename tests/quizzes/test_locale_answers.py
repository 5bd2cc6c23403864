"""A numeric answer counts as the learner's language writes numbers: "98,5" and "1,500" in
French are 98.5 and 1.5, "1,500" in English is fifteen hundred. The review shows what was
typed, and the score in the page's language."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.content.models import Quiz
from app.extensions import db
from app.learning.services import enrol
from app.quizzes.models import Attempt
from app.quizzes.rules import score_attempt
from app.quizzes.services import answers_locale, latest_answers, start_attempt
from tests.conftest import login
from tests.course_files import ModuleFile, quiz

NUMBERS = quiz("numbers",
               "Yield of the step?\nid: yield\npoints: 2\n= 98.5 +- 0.1\nunit: %",
               "Volume of the bag, in litres?\nid: volume\npoints: 2\n= 1.5",
               "Batch size, in vials?\nid: vials\n= 1500",
               pass_mark="50%", show_answers="after_submit")


def _attempt(make_course, people, clock) -> Attempt:
    course = make_course("aseptic-basics", [ModuleFile("intro", blocks=[NUMBERS])])
    enrol(people["amina"], course, clock())
    quiz_row = db.session.scalar(select(Quiz).where(Quiz.slug == "numbers"))
    assert quiz_row is not None
    attempt = start_attempt(people["amina"], quiz_row, clock())
    db.session.commit()
    return attempt


def _submit(client, attempt: Attempt, language: str, answers: dict[str, str]) -> str:
    headers = {"Accept-Language": language}
    page = client.get(f"/quizzes/attempts/{attempt.id}", headers=headers).get_data(as_text=True)
    found = re.search(r'name="seq" value="(\d+)"', page)
    assert found is not None
    data = {"seq": int(found.group(1))} | {f"q-{key}": value for key, value in answers.items()}
    response = client.post(f"/quizzes/attempts/{attempt.id}/submit", data=data,
                           headers=headers, follow_redirects=True)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def test_a_french_learner_s_decimal_commas_count(client, make_course, people, clock) -> None:
    attempt = _attempt(make_course, people, clock)
    login(client, "amina@example.org")
    review = _submit(client, attempt, "fr", {"yield": "98,5 %", "volume": "1,500",
                                             "vials": "1 500"})
    db.session.refresh(attempt)
    assert attempt.score == 5 and attempt.percent == 100
    # Stored as typed, shown as typed.
    assert latest_answers(attempt)["yield"] == {"value": "98,5 %"}
    assert "98,5 %" in review and "1,500" in review
    # The score in French: "5 / 5 (100 %)", with CLDR's no-break space before the sign.
    assert "5 / 5" in review and "100\u00a0%" in review


def test_in_english_a_comma_groups_thousands_unless_it_cannot(client, make_course, people,
                                                              clock) -> None:
    attempt = _attempt(make_course, people, clock)
    login(client, "amina@example.org")
    review = _submit(client, attempt, "en", {"yield": "98,5", "volume": "1,500",
                                             "vials": "1,500"})
    db.session.refresh(attempt)
    # 98,5 cannot be English grouping: 98.5, right. 1,500 is fifteen hundred: the volume is
    # wrong and the batch size right.
    assert attempt.score == 3 and attempt.percent == 60
    assert "3 / 5" in review and "(60%)" in review


def test_arabic_indic_digits_count(client, make_course, people, clock) -> None:
    attempt = _attempt(make_course, people, clock)
    login(client, "amina@example.org")
    # 98.5, 1.5 and 1500 in Arabic-Indic digits, with the Arabic decimal separator.
    review = _submit(client, attempt, "ar", {"yield": "\u0669\u0668\u066b\u0665",
                                             "volume": "\u0661\u066b\u0665",
                                             "vials": "\u0661\u0665\u0660\u0660"})
    db.session.refresh(attempt)
    assert attempt.score == 5
    assert 'lang="ar"' in review and "\u0669\u0668\u066b\u0665" in review


def test_a_french_learner_writes_french_numbers_in_an_english_course(
        client, make_course, people, clock) -> None:
    """The attempt keeps the language its answers were typed in, so that grading later, with
    no page to ask, reads "1,500" as the learner meant it."""
    attempt = _attempt(make_course, people, clock)
    login(client, "amina@example.org")
    _submit(client, attempt, "fr", {"yield": "98,5", "volume": "1,500", "vials": "1 500"})
    db.session.refresh(attempt)
    assert (attempt.language, attempt.typed_in) == ("en", "fr")
    assert score_attempt(attempt.snapshot, latest_answers(attempt),
                         answers_locale(attempt)).score == 5
