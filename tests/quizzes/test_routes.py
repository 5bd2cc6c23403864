"""Quiz pages through the test client: no answer keys in learner HTML, saving, submitting."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.quizzes.models import Attempt
from tests.conftest import login

MODULE = "/learning/gxp-standard-practice/modules/validation-basics"


def _enrolled_at_validation(client, people) -> None:
    """Amina enrolled in GxP with the modules before validation-basics complete."""
    login(client, "amina@example.org")
    client.post("/learning/gxp-standard-practice/enrol")
    for slug in ("why-gxp", "good-documentation-practice"):
        client.post(f"/learning/gxp-standard-practice/modules/{slug}/complete")


def _start(client) -> int:
    response = client.post("/quizzes/gxp-standard-practice/validation-assessment/start")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_the_attempt_page_holds_no_answer_key(client, gxp_course, people) -> None:
    _enrolled_at_validation(client, people)
    assert "validation-assessment/start" in client.get(MODULE).get_data(as_text=True)
    attempt_id = _start(client)
    html = client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt is not None
    for item in attempt.snapshot:
        data = item["data"]
        for choice in data.get("choices", []):
            if choice["feedback_html"]:
                assert choice["feedback_html"] not in html
        for accepted in data.get("numeric_answers", []) + data.get("text_answers", []):
            assert f">{accepted['text']}<" not in html and f'"{accepted["text"]}"' not in html
        if data.get("explain_html"):
            assert data["explain_html"] not in html
    assert '"correct"' not in html and "correct" not in html.lower().replace(
        "incorrect", "")


def test_save_without_javascript_then_submit_and_review(client, gxp_course, people) -> None:
    _enrolled_at_validation(client, people)
    attempt_id = _start(client)
    page = client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    found = re.search(r'name="seq" value="(\d+)"', page)
    assert found is not None
    seq = int(found.group(1))
    saved = client.post(f"/quizzes/attempts/{attempt_id}/save",
                        data={"seq": seq, "q-rpn-calc": "96", "q-rpn-calc-present": "1"},
                        follow_redirects=True)
    assert "Your answers are saved" in saved.get_data(as_text=True)
    assert 'value="96"' in saved.get_data(as_text=True)
    stale = client.post(f"/quizzes/attempts/{attempt_id}/save",
                        data={"seq": seq, "q-rpn-calc": "12"},
                        headers={"Accept": "application/json"})
    assert stale.status_code == 409 and "newer answer" in stale.json["error"]
    fresh = client.post(f"/quizzes/attempts/{attempt_id}/save",
                        data={"seq": seq + 1, "q-rpn-calc": "96"},
                        headers={"Accept": "application/json"})
    assert fresh.status_code == 200 and fresh.json["saved"] == ["rpn-calc"]
    submitted = client.post(f"/quizzes/attempts/{attempt_id}/submit",
                            data={"seq": seq + 2}, follow_redirects=True)
    text = submitted.get_data(as_text=True)
    assert "results" in text and "Score:" in text
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt is not None and attempt.state == "graded"


def test_another_learner_cannot_read_or_write_an_attempt(client, gxp_course, people) -> None:
    _enrolled_at_validation(client, people)
    attempt_id = _start(client)
    client.post("/auth/logout")
    login(client, "kim@example.org")
    for url in (f"/quizzes/attempts/{attempt_id}", f"/quizzes/attempts/{attempt_id}/review"):
        assert client.get(url).status_code == 403
    assert client.post(f"/quizzes/attempts/{attempt_id}/save",
                       data={"seq": 99, "q-rpn-calc": "1"}).status_code == 403
    assert client.post(f"/quizzes/attempts/{attempt_id}/submit").status_code == 403
    assert db.session.scalar(select(Attempt.state)) == "in_progress"


def test_a_locked_module_cannot_start_its_quiz(client, gxp_course, people) -> None:
    login(client, "amina@example.org")
    client.post("/learning/gxp-standard-practice/enrol")
    response = client.post("/quizzes/gxp-standard-practice/validation-assessment/start",
                           follow_redirects=True)
    assert "locked" in response.get_data(as_text=True)
    assert db.session.scalar(select(Attempt.id)) is None


def test_submit_is_refused_while_an_essay_breaks_its_word_limits(client, gxp_course, people,
                                                                 clock) -> None:
    from sqlalchemy import select as sql_select

    from app.content.models import Module
    from app.learning.services import complete_module, enrol

    amina = people["amina"]
    enrol(amina, gxp_course, clock())
    modules = {m.slug: m for m in db.session.scalars(sql_select(Module))}
    complete_module(amina, modules["why-gxp"], clock())
    complete_module(amina, modules["good-documentation-practice"], clock())
    complete_module(amina, modules["validation-basics"], clock(), via="assessment")
    db.session.commit()
    login(client, "amina@example.org")
    start = client.post("/quizzes/gxp-standard-practice/deviation-report/start")
    attempt_id = int(start.headers["Location"].rsplit("/", 1)[1])
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt is not None
    essay = next(item for item in attempt.snapshot if item["kind"] == "essay")
    response = client.post(f"/quizzes/attempts/{attempt_id}/submit",
                           data={"seq": 1, f"q-{essay['key']}": "Too short."},
                           follow_redirects=True)
    assert "Write at least" in response.get_data(as_text=True)
    db.session.refresh(attempt)
    assert attempt.state == "in_progress"
