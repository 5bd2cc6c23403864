"""Reading a course in its language versions: the module page picks the version by the
interface language or `?version=`, remembers the choice, keeps its statements bounded; an
attempt is given and scored in the version it was started in."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.content.models import Quiz
from app.extensions import db
from app.learning.services import enrol
from app.quizzes.models import Attempt
from app.quizzes.services import latest_answers, save_answers, start_attempt, submit_attempt
from tests.conftest import choice_token, count_queries, login
from tests.course_files import YIELD_MODULE, YIELD_MODULE_FR, bilingual_files

FR = {"Accept-Language": "fr"}
URL = "/learning/aseptic-basics/modules/yield"


@pytest.fixture
def course(app, clock, import_files, people):
    made = import_files(bilingual_files())
    enrol(people["amina"], made, clock())
    db.session.commit()
    return made


def _lesson_lang(html: str) -> str:
    found = re.search(r'<div class="lesson-layout" lang="([^"]+)" dir="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_the_interface_language_chooses_the_version(client, course) -> None:
    login(client, "amina@example.org")
    english = client.get(URL).get_data(as_text=True)
    assert "Every batch has a" in english and _lesson_lang(english) == "en"
    assert 'hreflang="fr">Français</a>' in english
    french = client.get(URL, headers=FR).get_data(as_text=True)
    assert "Chaque lot a un" in french and "Every batch" not in french
    assert _lesson_lang(french) == "fr" and "Calculer un rendement" in french
    assert "<h1 id=\"module-title\">Rendement et enregistrements</h1>" in french
    assert 'hreflang="en">English</a>' in french


def test_a_version_asked_for_is_shown_and_remembered_for_the_course(client, course) -> None:
    login(client, "amina@example.org")
    page = client.get(URL + "?version=fr").get_data(as_text=True)
    assert "Chaque lot a un" in page
    assert "Chaque lot a un" in client.get(URL).get_data(as_text=True)  # remembered
    page = client.get(URL + "?version=en", headers=FR).get_data(as_text=True)
    assert "Every batch has a" in page
    assert "Every batch has a" in client.get(URL, headers=FR).get_data(as_text=True)
    # A version the module does not have: the course's own language.
    assert "Every batch" in client.get(URL + "?version=de").get_data(as_text=True)


def test_completing_a_module_names_it_in_the_version_read(client, app, clock, import_files,
                                                         people) -> None:
    read_only = bilingual_files(**{"01-yield.md": YIELD_MODULE.split("```quiz")[0],
                                   "01-yield.fr.md": YIELD_MODULE_FR.split("```quiz")[0]})
    enrol(people["amina"], import_files(read_only), clock())
    db.session.commit()
    login(client, "amina@example.org")
    done = client.post(URL + "/complete", headers=FR)
    page = client.get(done.headers["Location"], headers=FR).get_data(as_text=True)
    assert "« Rendement et enregistrements » est terminé." in page.replace("\xa0", " ")
    assert "Yield and records" not in page


def test_staff_see_the_versions_facilitator_notes(client, course, people) -> None:
    login(client, "grace@example.org")
    page = client.get(URL + "?version=fr").get_data(as_text=True)
    assert "dernière campagne" in page and "last campaign" not in page


def test_a_version_page_keeps_its_statements_bounded(client, course) -> None:
    login(client, "amina@example.org")
    client.get(URL, headers=FR)  # the first view writes and fills the caches
    client.get(URL, headers=FR)
    db.session.remove()
    with count_queries() as statements:
        assert client.get(URL, headers=FR).status_code == 200
    assert len(statements) <= 6, statements


def test_an_attempt_in_french_is_recorded_as_french_and_scored_with_french_answers(
        app, client, course, people, clock) -> None:
    login(client, "amina@example.org")
    client.get(URL + "?version=fr")
    assert client.post("/quizzes/aseptic-basics/yield-check/start").status_code == 302
    attempt = db.session.scalar(select(Attempt))
    assert attempt is not None and attempt.language == "fr"
    prompts = {item["key"]: item["prompt_html"] for item in attempt.snapshot}
    assert "antidatée" in prompts["1"] and "Quelle annexe" in prompts["3"]
    page = client.get(f"/quizzes/attempts/{attempt.id}").get_data(as_text=True)
    assert "Contemporain" in page and 'lang="fr"' in page
    # Switching back to English mid-attempt keeps the attempt's language.
    client.get(URL + "?version=en")
    assert client.post("/quizzes/aseptic-basics/yield-check/start").status_code == 302
    assert db.session.scalars(select(Attempt)).all() == [attempt]
    assert "Contemporain" in client.get(f"/quizzes/attempts/{attempt.id}").get_data(
        as_text=True)

    learner = people["amina"]
    save_answers(learner, attempt, {"1": [choice_token(attempt, "1", 0)], "2": ["98.5"],
                                    "3": ["annexe 11"], "4": ["J'informe l'AQ."]}, 1, clock())
    submit_attempt(learner, attempt, clock(), answers=latest_answers(attempt))
    db.session.commit()
    assert attempt.state == "awaiting_grading" and attempt.score == 3.0
    review = client.get(f"/quizzes/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "Que faites-vous" in review


def test_a_french_attempt_names_its_quiz_and_module_in_french(client, clock, import_files,
                                                             people) -> None:
    titled = bilingual_files(**{
        "01-yield.md": YIELD_MODULE.replace("id: yield-check\n",
                                            "id: yield-check\ntitle: Yield check\n"),
        "01-yield.fr.md": YIELD_MODULE_FR.replace(
            "id: yield-check\n", "id: yield-check\ntitle: Contrôle du rendement\n")})
    enrol(people["amina"], import_files(titled), clock())
    db.session.commit()
    login(client, "amina@example.org")
    client.get(URL + "?version=fr")
    assert client.post("/quizzes/aseptic-basics/yield-check/start").status_code == 302
    attempt = db.session.scalars(select(Attempt)).one()
    page = client.get(f"/quizzes/attempts/{attempt.id}").get_data(as_text=True)
    assert '<h1 id="page-title" lang="fr">Contrôle du rendement</h1>' in page
    assert "Yield check" not in page
    submit_attempt(people["amina"], attempt, clock())
    db.session.commit()
    review = client.get(f"/quizzes/attempts/{attempt.id}/review").get_data(as_text=True)
    assert '<bdi lang="fr">Contrôle du rendement</bdi>' in review
    assert 'lang="fr">Rendement et enregistrements</a>' in review
    assert "Yield check" not in review and "Yield and records" not in review


def test_the_original_short_answer_is_accepted_in_a_french_attempt(app, course, people,
                                                                   clock) -> None:
    quiz = db.session.scalar(select(Quiz))
    assert quiz is not None
    attempt = start_attempt(people["amina"], quiz, clock(), language="fr")
    save_answers(people["amina"], attempt, {"3": ["Annex 11"]}, 1, clock())
    submit_attempt(people["amina"], attempt, clock())
    assert attempt.score == 1.0 and attempt.language == "fr"


def test_an_attempt_without_a_version_is_in_the_course_language(app, course, people,
                                                                 clock) -> None:
    quiz = db.session.scalar(select(Quiz))
    assert quiz is not None
    attempt = start_attempt(people["amina"], quiz, clock(), language="es")
    assert attempt.language == "en"
    assert "back-dated" in attempt.snapshot[0]["prompt_html"]
