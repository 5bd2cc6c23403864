"""The catalog page's search: cards best first with what matched, safely escaped, and a
fixed number of statements however many courses match."""

from __future__ import annotations

from collections.abc import Callable

from flask import g
from flask.testing import FlaskClient

from app.content.models import Course
from app.extensions import db
from tests.conftest import count_queries
from tests.course_files import ModuleFile


def _module(n: int, text: str) -> ModuleFile:
    return ModuleFile(f"part-{n}", title=f"Part {n} <script>", body=f"# Part\n\n{text}")


def _page(client: FlaskClient, text: str) -> str:
    response = client.get("/catalog/", query_string={"text": text})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_page_lists_what_matched_in_each_course(client: FlaskClient,
                                                    make_course: Callable[..., Course]) -> None:
    make_course("mrna-vaccine", [_module(1, "Endotoxin <i>limits</i> & lot release.")],
                title="mRNA vaccine manufacturing")
    make_course("gxp", [_module(1, "Signatures.")], title="GxP standard practice")
    page = _page(client, "\"lot release\" <endotoxin>")
    assert "1 course found for “&#34;lot release&#34; &lt;endotoxin&gt;”" in page
    assert "mRNA vaccine manufacturing" in page and "GxP standard practice" not in page
    assert "<strong>Part 1 &lt;script&gt;</strong>" in page
    assert "&amp; <mark>lot" in page and "<endotoxin>" not in page


def test_a_search_that_finds_nothing_says_how_to_search(client: FlaskClient,
                                                        make_course: Callable[..., Course]
                                                        ) -> None:
    make_course("mrna-vaccine", [_module(1, "Endotoxin.")], title="mRNA vaccine manufacturing")
    page = _page(client, "insulin")
    assert "0 courses found" in page and "Put words in double quotes" in page
    assert "mRNA vaccine" not in page


def test_the_search_reads_a_fixed_number_of_statements(
        client: FlaskClient, make_course: Callable[..., Course]) -> None:
    def statements() -> int:
        db.session.remove()
        g.pop("_login_user", None)
        with count_queries() as seen:
            _page(client, "endotoxin")
        return len(seen)

    make_course("course-1", [_module(1, "Endotoxin.")])
    few = statements()
    for n in range(2, 7):
        make_course(f"course-{n}", [_module(m, "Endotoxin tests.") for m in range(1, 4)])
    assert statements() == few


def test_the_language_filter_offers_names_not_codes(client: FlaskClient,
                                                    make_course: Callable[..., Course]) -> None:
    make_course("french", language="fr")
    make_course("english")
    page = _page(client, "")
    assert '<option value="en">English</option>' in page
    assert '<option value="fr">French</option>' in page
