"""The catalog lists the languages each course is available in and filters by them."""

from __future__ import annotations

from flask import g

from app.extensions import db
from tests.conftest import count_queries
from tests.course_files import YIELD_MODULE, bilingual_files


def _cards(client, query: str = "") -> str:
    response = client.get("/catalog/" + query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_courses_show_their_languages_and_filter_by_a_versions_language(
        app, client, import_files) -> None:
    import_files(bilingual_files(), slug="bilingual")
    import_files({"01-yield.md": YIELD_MODULE}, slug="english-only")
    page = _cards(client)
    assert "In English, French" in page and "In English<" in page
    assert '<option value="fr">French</option>' in page
    french = _cards(client, "?language=fr")
    assert "/catalog/bilingual/" in french and "/catalog/english-only/" not in french
    assert "1 course" in french
    english = _cards(client, "?language=en")
    assert "/catalog/bilingual/" in english and "/catalog/english-only/" in english


def test_a_course_is_listed_in_the_version_of_the_reader_s_language(
        app, client, import_files) -> None:
    import_files(bilingual_files())
    french = client.get("/catalog/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<h2 lang="fr"><a href="/catalog/aseptic-basics/">Bases de l&#39;asepsie</a>' in french
    english = _cards(client)
    assert '<h2 lang="en"><a href="/catalog/aseptic-basics/">Aseptic basics</a>' in english
    # A version asked for on the course page is the one the catalog lists it in after.
    client.get("/catalog/aseptic-basics/?version=en", headers={"Accept-Language": "fr"})
    again = client.get("/catalog/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert ">Aseptic basics</a>" in again


def test_the_language_filter_reads_a_fixed_number_of_statements(app, client,
                                                                import_files) -> None:
    def statements() -> int:
        db.session.remove()
        g.pop("_login_user", None)
        with count_queries() as seen:
            client.get("/catalog/?language=fr", headers={"Accept-Language": "fr"})
        return len(seen)

    import_files(bilingual_files(), slug="course-0")
    few = statements()
    for n in range(1, 5):
        import_files(bilingual_files(), slug=f"course-{n}")
    assert statements() == few


def test_the_course_page_is_shown_in_a_version_of_course_md(app, client, import_files) -> None:
    import_files(bilingual_files())
    english = client.get("/catalog/aseptic-basics/").get_data(as_text=True)
    assert "Welcome." in english and 'hreflang="fr">Français</a>' in english
    french = client.get("/catalog/aseptic-basics/", headers={"Accept-Language": "fr"}
                        ).get_data(as_text=True)
    assert "Bases de l&#39;asepsie" in french and "Bienvenue." in french
    assert 'lang="fr"' in french and "Rendement et enregistrements" in french


def test_without_a_version_of_course_md_the_course_page_stays_in_its_language(
        app, client, import_files) -> None:
    files = bilingual_files()
    del files["course.fr.md"]
    import_files(files)
    french = client.get("/catalog/aseptic-basics/", headers={"Accept-Language": "fr"}
                        ).get_data(as_text=True)
    assert "Aseptic basics" in french and "Yield and records" in french
