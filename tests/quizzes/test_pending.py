"""No attempt spent by mistake: while an assessment's attempt waits for its result, a new
one starts only once the learner confirms that the pending one may still pass."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.content.models import Module, Quiz
from app.core.errors import ValidationError
from app.extensions import db
from app.learning.services import complete_module
from app.quizzes.models import Attempt
from app.quizzes.services import PENDING_UNCONFIRMED, save_answers, start_attempt, submit_attempt
from app.records.models import Event
from tests.conftest import login

ESSAY = "The lot was filled after a passed filter test but its endotoxin was high. " * 8


def _waiting(gxp, people, clock) -> Quiz:
    """Amina's first attempt at the written assessment waits for an assessor."""
    amina = people["amina"]
    modules = {m.slug: m for m in db.session.scalars(select(Module))}
    for slug in ("why-gxp", "good-documentation-practice"):
        complete_module(amina, modules[slug], clock())
    complete_module(amina, modules["validation-basics"], clock(), via="assessment")
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == "deviation-report"))
    assert quiz is not None
    attempt = start_attempt(amina, quiz, clock())
    save_answers(amina, attempt, {"2": [ESSAY]}, 1, clock())
    submit_attempt(amina, attempt, clock())
    db.session.commit()
    assert attempt.state == "awaiting_grading"
    return quiz


def _attempts() -> int:
    return db.session.scalar(select(func.count()).select_from(Attempt)) or 0


def test_a_new_attempt_while_one_is_pending_needs_the_learners_confirmation(
        gxp, people, clock) -> None:
    quiz = _waiting(gxp, people, clock)
    with pytest.raises(ValidationError) as refused:
        start_attempt(people["amina"], quiz, clock())
    assert refused.value.message == PENDING_UNCONFIRMED
    assert refused.value.field == "confirm_pending"
    assert _attempts() == 1
    second = start_attempt(people["amina"], quiz, clock(), confirmed_pending=True)
    assert second.number == 2
    started = db.session.scalars(select(Event).where(Event.action == "attempt.started")
                                 .order_by(Event.seq)).all()
    assert "while_pending" not in started[0].details
    assert started[-1].details["while_pending"] == 1


def test_the_module_page_asks_for_the_confirmation_and_the_start_needs_it(
        client, gxp, people, clock) -> None:
    _waiting(gxp, people, clock)
    login(client, "amina@example.org")
    module = db.session.get(Module, db.session.scalar(
        select(Quiz.module_id).where(Quiz.slug == "deviation-report")))
    assert module is not None
    url = f"/learning/gxp-standard-practice/modules/{module.slug}"
    page = client.get(url).get_data(as_text=True)
    assert "Attempt 1 is waiting for grading" in page
    assert "a new attempt would use your last one" in page
    assert 'name="confirm_pending" value="yes"' in page and "Start a new attempt" in page
    assert "Try again" not in page
    start = "/quizzes/gxp-standard-practice/deviation-report/start"
    refused = client.post(start)
    assert refused.status_code == 302
    assert refused.headers["Location"].endswith(f"{url}?confirm=deviation-report"
                                                "#start-deviation-report")
    again = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert ('id="confirm-deviation-report-error">To start a new attempt while attempt 1 waits '
            "for grading, tick this box first.") in again
    assert 'aria-describedby="confirm-deviation-report-error"' in again
    assert _attempts() == 1
    started = client.post(start, data={"confirm_pending": "yes"})
    assert started.status_code == 302 and "/quizzes/attempts/" in started.headers["Location"]
    assert _attempts() == 2
