"""Learning's and quizzes' words come out in the page's language: the module states, the
question types, the labels of the attempt page, the words its script shows (with a form per
plural category of the language) and the JSON messages autosave shows. A small French
catalog, written by the test, stands in for the translators' one."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.content.models import Quiz
from app.core.i18n import babel
from app.extensions import db
from app.learning.services import enrol
from app.quizzes.models import Attempt
from app.quizzes.services import start_attempt
from tests.conftest import login
from tests.course_files import ModuleFile, quiz

FRENCH = {
    ("module state", "Not started"): "Pas commencé",
    (None, "Mark as complete"): "Marquer comme terminé",
    (None, "Your answer"): "Votre réponse",
    (None, "Essay"): "Rédaction",
    (None, "Saved at %(time)s."): "Enregistré à %(time)s.",
    (None, "%(time)s left"): "Il reste %(time)s",
    (None, "Your session has ended: your answers since your last save are kept on this "
           "device. Log in again in a new tab, then come back to save."):
        "Votre session a pris fin : vos réponses sont gardées sur cet appareil.",
}
WORDS = ("%(count)s word (%(low)s–%(high)s asked).",  # noqa: RUF001
         "%(count)s words (%(low)s–%(high)s asked).")  # noqa: RUF001
FRENCH_WORDS = ("%(count)s mot (%(low)s à %(high)s demandés).",
                "%(count)s mots (%(low)s à %(high)s demandés).")

ESSAY = quiz("essay", "Describe the gowning order.\nid: order\nwords: 5-10\n___\n"
             "rubric:\n- 2: In order", pass_mark="50%")


@pytest.fixture
def app(make_app, tmp_path: Path) -> Iterator[Flask]:
    """The app, reading its catalogs from a folder holding only the French one above.
    Flask-Babel keeps loaded catalogs for the process, whatever the app: emptied before and
    after, as `make_translated_app` does."""
    babel.domain_instance.cache.clear()
    catalog = Catalog(locale="fr")
    for (context, english), french in FRENCH.items():
        catalog.add(english, french, context=context)
    catalog.add(WORDS, FRENCH_WORDS)
    folder = tmp_path / "translations" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)
    app = make_app(BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "translations"))
    with app.app_context():
        yield app
    babel.domain_instance.cache.clear()


@pytest.fixture
def attempt(make_course, people, clock) -> Attempt:
    course = make_course("aseptic-basics", [ModuleFile("intro", blocks=[ESSAY]),
                                            ModuleFile("reading")])
    enrol(people["amina"], course, clock())
    quiz_row = db.session.scalar(select(Quiz).where(Quiz.slug == "essay"))
    assert quiz_row is not None
    started = start_attempt(people["amina"], quiz_row, clock())
    db.session.commit()
    return started


def _page(client: FlaskClient, path: str, language: str) -> str:
    return client.get(path, headers={"Accept-Language": language}).get_data(as_text=True)


def _script_words(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="autosave-strings">(.*?)</script>',
                      html, re.DOTALL)
    assert found is not None
    return json.loads(found.group(1))


def test_module_states_and_actions_are_in_the_pages_language(
        client: FlaskClient, attempt: Attempt) -> None:
    login(client, "amina@example.org")
    # The badges are built once per catalog: each language's page gets its own.
    assert ">Pas commencé</span>" in _page(client, "/catalog/aseptic-basics/", "fr")
    english = _page(client, "/catalog/aseptic-basics/", "en")
    assert ">Not started</span>" in english and "Pas commencé" not in english
    reading = _page(client, "/learning/aseptic-basics/modules/reading", "fr")
    assert "Marquer comme terminé" in reading and "Mark as complete" not in reading


def test_the_attempt_page_and_its_script_speak_the_pages_language(
        client: FlaskClient, attempt: Attempt) -> None:
    login(client, "amina@example.org")
    french = _page(client, f"/quizzes/attempts/{attempt.id}", "fr")
    assert "Your answer (5–10 words)" in french  # noqa: RUF001 - its own message, untranslated
    assert "Rédaction" in french and "Essay" not in french
    assert "0 mot (5 à 10 demandés)." in french
    words = _script_words(french)
    assert words["language"] == "fr"
    assert words["saved"] == "Enregistré à %(time)s."  # the script fills in the time
    assert words["timeLeft"] == "Il reste %(time)s"
    assert words["wordsWithin"] == {"one": FRENCH_WORDS[0], "other": FRENCH_WORDS[1]}
    english = _script_words(_page(client, f"/quizzes/attempts/{attempt.id}", "en"))
    assert english["saved"] == "Saved at %(time)s."
    assert english["wordsWithin"] == {"one": WORDS[0], "other": WORDS[1]}
    assert english["sessionEnded"] == (
        "Your session has ended: your answers since %(time)s are kept on this device. "
        "%(link)s, then come back to save.")


def test_the_script_gets_every_plural_form_of_the_language(
        client: FlaskClient, attempt: Attempt) -> None:
    login(client, "amina@example.org")
    arabic = _script_words(_page(client, f"/quizzes/attempts/{attempt.id}", "ar"))
    assert set(arabic["wordsBelow"]) == {"zero", "one", "two", "few", "many", "other"}
    korean = _script_words(_page(client, f"/quizzes/attempts/{attempt.id}", "ko"))
    assert set(korean["wordsAbove"]) == {"other"}


def test_autosave_says_a_session_ended_in_the_pages_language(
        client: FlaskClient, attempt: Attempt) -> None:
    response = client.post(f"/quizzes/attempts/{attempt.id}/save", data={"seq": 1},
                           headers={"Accept": "application/json", "Accept-Language": "fr"})
    body = response.get_json()
    assert response.status_code == 401 and body is not None
    assert body["error"].startswith("Votre session a pris fin")


def test_the_autosave_script_holds_no_words_of_its_own() -> None:
    """Every sentence it shows comes from the page: no string literal of two words or more."""
    script = (Path(__file__).resolve().parents[2] / "app" / "static" / "autosave.js").read_text()
    code = re.sub(r"//[^\n]*", "", script)
    literals = set(re.findall(r'"((?:[^"\\]|\\.)*)"', code)) - {"use strict"}
    assert literals and not [text for text in literals if re.search(r"[A-Za-z]+ [A-Za-z]+", text)]
