"""The templates' format filters write in the page's language: dates (`local`,
`local_date`), numbers and percentages (`number`, `percent`), language names."""

from __future__ import annotations

import pytest
from flask import Flask, render_template_string

from app.quizzes.types import points_text
from tests.conftest import login


@pytest.mark.parametrize(("language", "day"), [
    ("en", "Mon 2 Mar 2026"), ("fr", "lun. 2 mars 2026"), ("ko", "2026년 3월 2일 (월)"),
    ("ar", "الاثنين، 2 مارس 2026"),
])
def test_a_training_record_dates_its_account_in_the_page_s_language(
        client, make_user, language: str, day: str) -> None:
    learner = make_user("chloe@example.org", name="Chloé Dubois", country="FR")
    login(client, "chloe@example.org")
    page = client.get(f"/records/learners/{learner.id}",
                      headers={"Accept-Language": language}).get_data(as_text=True)
    assert f'lang="{language}"' in page
    assert f">{day}</time>" in page


def test_the_catalog_names_course_languages_in_the_page_s_language(client, make_course
                                                                    ) -> None:
    make_course("aseptic-basics")
    english = client.get("/catalog/").get_data(as_text=True)
    french = client.get("/catalog/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert ">English</option>" in english
    assert ">Anglais</option>" in french


@pytest.mark.parametrize(("language", "text"), [
    ("en", "8.5 / 10 · 85.5% · 0.33"), ("fr", "8,5 / 10 · 85,5\u00a0% · 0,33"),
    ("ar", "8.5 / 10 · 85.5% · 0.33"), ("ko", "8.5 / 10 · 85.5% · 0.33"),
])
def test_number_and_percent_filters(app: Flask, language: str, text: str) -> None:
    with app.test_request_context(headers={"Accept-Language": language}):
        rendered = render_template_string(
            "{{ 8.5|number }} / {{ 10.0|number }} · {{ 85.5|percent }} · "
            "{{ (1 / 3)|number(2) }}{{ none|number }}{{ none|percent }}")
    assert rendered == text


@pytest.mark.parametrize(("language", "points", "written"), [
    ("en", 0.5, "0.5 points"), ("en", 1, "1 point"), ("fr", 1.5, "1,5 points"),
    ("fr", 1, "1 point"),
])
def test_a_question_s_points_read_in_the_page_s_language(app: Flask, language: str,
                                                         points: float, written: str) -> None:
    with app.test_request_context(headers={"Accept-Language": language}):
        assert points_text(points) == written
