"""Authoring language versions in the browser: which files lack a translation, and adding
one as a draft file prefilled with the original's text, published through validation."""

from __future__ import annotations

from app.authoring.drafts import upload_course
from app.authoring.publishing import publish
from app.authoring.revisions import find_source, revision_files
from app.authoring.tree import path_problem, version_text
from app.content.models import ModuleTranslation
from app.extensions import db
from tests.authoring.helpers import make_zip, small_course
from tests.conftest import login

SLUG = "cleanroom-basics"


def _upload(people, clock, extra: dict[str, bytes] | None = None) -> None:
    upload_course(people["ivan"], f"{SLUG}.zip", make_zip({**small_course(), **(extra or {})}),
                  clock())
    db.session.commit()


def test_version_files_are_course_files() -> None:
    assert path_problem("01-intro.fr.md") is None and path_problem("course.pt-BR.md") is None
    assert path_problem("01-intro.fr.txt") is not None


def test_a_translation_starts_as_the_original_without_its_settings() -> None:
    text = ("---\ntitle: Intro\nversion: 3\nobjectives:\n  - a: One\nduration: 1 h\n---\n"
            "```quiz\nid: q\npass_mark: 50%\n1.  Q?\n    (x) A\n    ( ) B\n```\n")
    made = version_text("01-intro.md", text)
    assert "version:" not in made and "duration:" not in made
    assert "title: Intro\nobjectives:\n  - a: One\n---\n```quiz\nid: q\npass_mark: 50%" in made


def test_the_overview_lists_missing_translations_and_adds_one(client, people, clock) -> None:
    _upload(people, clock, {"01-intro.fr.md": b"---\ntitle: Introduction (fr)\n---\nTexte.\n"})
    login(client, "ivan@example.org")
    page = client.get(f"/authoring/{SLUG}/").get_data(as_text=True)
    assert "missing: fr" in page and "Add a French version" in page
    # course.md and 02-practice.md lack the French version; 01-intro.md has it.
    assert page.count("missing: fr") == 2

    answer = client.post(f"/authoring/{SLUG}/files/02-practice.md/versions",
                         data={"language": "fr"}, follow_redirects=True)
    assert answer.status_code == 200
    source = find_source(SLUG)
    assert source is not None
    files = revision_files(source.draft_revision_id)
    assert "02-practice.fr.md" in files
    assert b"prerequisites" not in files["02-practice.fr.md"]
    assert b"Practise." in files["02-practice.fr.md"]
    page = client.get(f"/authoring/{SLUG}/").get_data(as_text=True)
    assert page.count("missing: fr") == 1  # course.md alone now

    publish(people["ivan"], source, clock())
    db.session.commit()
    assert {t.language for t in db.session.scalars(db.select(ModuleTranslation))} == {"fr"}


def test_a_translation_that_breaks_the_structure_is_not_published(client, people,
                                                                  clock) -> None:
    broken = b"---\ntitle: Intro\nduration: 1 h\n---\nTexte.\n"
    _upload(people, clock, {"01-intro.fr.md": broken})
    login(client, "ivan@example.org")
    page = client.get(f"/authoring/{SLUG}/").get_data(as_text=True)
    assert "cannot be set in a language version" in page
    client.post(f"/authoring/{SLUG}/publish")
    source = find_source(SLUG)
    assert source is not None and source.published_revision_id is None


def test_a_second_version_in_the_same_language_is_refused(client, people, clock) -> None:
    _upload(people, clock)
    login(client, "ivan@example.org")
    client.post(f"/authoring/{SLUG}/files/01-intro.md/versions", data={"language": "es"})
    page = client.post(f"/authoring/{SLUG}/files/01-intro.md/versions",
                       data={"language": "es"}, follow_redirects=True).get_data(as_text=True)
    assert "01-intro.es.md exists already." in page


def test_the_editor_previews_a_version(client, people, clock) -> None:
    _upload(people, clock, {"01-intro.fr.md": b"---\ntitle: Intro\n---\nTexte **fr**.\n"})
    login(client, "ivan@example.org")
    page = client.get(f"/authoring/{SLUG}/files/01-intro.fr.md").get_data(as_text=True)
    assert "Texte <strong>fr</strong>." in page
    answer = client.post(f"/authoring/{SLUG}/files/01-intro.fr.md/preview.json",
                         data={"text": "---\ntitle: Intro\n---\nAutre *texte*.\n"})
    assert "Autre <em>texte</em>." in answer.get_json()["html"]
