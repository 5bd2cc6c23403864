"""The attempt page is honest about time and the session: the deadline on the learner's own
clock, saves that say when in their time zone, a session that ended answered in words (not a
log-in redirect), a failed form token that keeps the answers sent, essay word limits named
beside every question concerned."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.content.models import Quiz
from app.extensions import db
from app.learning.services import enrol
from app.quizzes.models import AnswerStep, Attempt
from app.quizzes.services import start_attempt
from tests.conftest import DEFAULT_PASSWORD, count_queries, login
from tests.course_files import ModuleFile, quiz

TIMED = quiz("timed", "Which grade is the critical zone?\nid: grade\n(x) Grade A\n( ) Grade D",
             "How many minutes does a gowning take?\nid: minutes\n= 10",
             time_limit="20 min", pass_mark="50%")
ESSAYS = quiz("essays",
              "Describe the gowning order.\nid: order\nwords: 5-10\n___\nrubric:\n- 2: In order",
              "Describe the hand wash.\nid: wash\nwords: 3-6\n___\nrubric:\n- 2: Complete",
              "Name the grade of the critical zone.\nid: grade\n= A",
              pass_mark="50%")


def _attempt(make_course, people, clock, block: str, slug: str, zone: str = "Africa/Lagos"
             ) -> Attempt:
    course = make_course("aseptic-basics", [ModuleFile("intro", blocks=[block])])
    amina = people["amina"]
    amina.timezone = zone
    enrol(amina, course, clock())
    quiz_row = db.session.scalar(select(Quiz).where(Quiz.slug == slug))
    assert quiz_row is not None
    attempt = start_attempt(amina, quiz_row, clock())
    db.session.commit()
    return attempt


def _state(attempt: Attempt) -> str | None:
    return db.session.scalar(select(Attempt.state).where(Attempt.id == attempt.id))


def _steps() -> int:
    return db.session.scalar(select(func.count()).select_from(AnswerStep)) or 0


def test_a_timed_attempt_says_when_to_submit_on_the_learners_clock(
        client, make_course, people, clock) -> None:
    attempt = _attempt(make_course, people, clock, TIMED, "timed")  # 09:00 UTC, 20 minutes
    login(client, "amina@example.org")
    clock.advance(minutes=5)
    html = client.get(f"/quizzes/attempts/{attempt.id}").get_data(as_text=True)
    bar = html[html.index('id="time-bar"'):html.index("</div>", html.index('id="time-bar"'))]
    assert 'data-remaining="900"' in bar  # the server's count of seconds left
    assert re.search(r"Submit by <time[^>]*>10:20</time> your time", bar)  # Lagos: UTC+1
    assert "(Africa/Lagos)" in bar
    assert "UTC" not in bar
    saved = client.post(f"/quizzes/attempts/{attempt.id}/save",
                        data={"seq": 1, "q-minutes": "10"},
                        headers={"Accept": "application/json"})
    assert saved.status_code == 200 and saved.json["saved_at"] == "10:05"
    page = client.post(f"/quizzes/attempts/{attempt.id}/save", data={"seq": 2, "q-minutes": "9"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Your answers are saved (at 10:05 your time)." in page


def test_autosave_after_the_session_ended_answers_401_in_words(
        client, make_course, people, clock) -> None:
    attempt = _attempt(make_course, people, clock, TIMED, "timed")
    login(client, "amina@example.org")
    client.post("/auth/logout")
    response = client.post(f"/quizzes/attempts/{attempt.id}/save",
                           data={"seq": 1, "q-minutes": "10"},
                           headers={"Accept": "application/json"})
    assert response.status_code == 401 and "Location" not in response.headers
    assert response.json["session_ended"] is True
    assert response.json["error"].startswith("Your session has ended")
    form = client.post(f"/quizzes/attempts/{attempt.id}/submit", data={"seq": 1})
    assert form.status_code == 401
    text = form.get_data(as_text=True)
    assert "Your session has ended" in text and "/auth/login?next=" in text
    assert _steps() == 0 and _state(attempt) == "in_progress"


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_a_failed_form_token_shows_the_answers_sent_and_writes_nothing(
        make_app, make_course, people, clock) -> None:
    # Its own app, whose requests each get their own app context (and CSRF token).
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    attempt = _attempt(make_course, people, clock, TIMED, "timed")
    client = csrf_app.test_client()
    token = _csrf(client.get("/auth/login").get_data(as_text=True))
    client.post("/auth/login", data={"email": "amina@example.org",
                                     "password": DEFAULT_PASSWORD, "csrf_token": token})
    item = next(i for i in attempt.snapshot if i["key"] == "grade")
    right = item["choice_tokens"][0]
    sent = {"seq": 1, "q-minutes": "12", "q-grade": right, "csrf_token": "stale"}
    response = client.post(f"/quizzes/attempts/{attempt.id}/submit", data=sent)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "could not be sent: the page had expired" in html
    assert 'value="12"' in html
    assert re.search(rf'value="{right}"\s*checked', html)
    assert "CSRF" not in html
    db.session.expire_all()
    assert _steps() == 0 and _state(attempt) == "in_progress"
    autosave = client.post(f"/quizzes/attempts/{attempt.id}/save", data=sent,
                           headers={"Accept": "application/json"})
    assert autosave.status_code == 400 and autosave.json["expired"] is True
    # The page carries a good token again: sending it once more submits.
    sent["csrf_token"] = _csrf(html)
    again = client.post(f"/quizzes/attempts/{attempt.id}/submit", data=sent)
    assert again.status_code == 302 and again.headers["Location"].endswith("/review")


def test_every_essay_outside_its_word_limits_is_named_beside_it(
        client, make_course, people, clock) -> None:
    attempt = _attempt(make_course, people, clock, ESSAYS, "essays")
    login(client, "amina@example.org")
    response = client.post(f"/quizzes/attempts/{attempt.id}/submit", data={
        "seq": 1, "q-order": "Gown.", "q-wash": "Wash the hands, wrists and forearms well.",
        "q-grade": "A"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    positions = {item["key"]: n for n, item in enumerate(attempt.snapshot, start=1)}
    assert (f'id="q-order-error">Question {positions["order"]}: Write at least 5 words '
            "(now 1).") in html
    assert (f'id="q-wash-error">Question {positions["wash"]}: Write at most 6 words '
            "(now 7).") in html
    assert 'id="q-grade-error"' not in html
    assert 'aria-describedby="q-order-error q-order-count" aria-invalid="true"' in html
    assert "These questions need a change first" in html
    assert "1 word (5\u201310 asked)." in html and "7 words (3\u20136 asked)." in html
    db.session.expire_all()
    assert _state(attempt) == "in_progress"
    assert _steps() == 3  # the answers are saved all the same


def test_the_attempt_page_and_autosave_stay_within_their_statements(
        client, make_course, people, clock) -> None:
    attempt = _attempt(make_course, people, clock, TIMED, "timed")
    login(client, "amina@example.org")
    counts = []
    for seq in (1, 2, 3):  # the same however many answers are saved
        with count_queries() as page:
            assert client.get(f"/quizzes/attempts/{attempt.id}").status_code == 200
        with count_queries() as save:
            assert client.post(f"/quizzes/attempts/{attempt.id}/save",
                               data={"seq": seq, "q-minutes": str(seq)},
                               headers={"Accept": "application/json"}).status_code == 200
        counts.append((len(page), len(save)))
    # The first save reads the questions into the worker's cache; later ones do not.
    assert counts[1] == counts[2] and counts[0][0] == counts[1][0]
    assert counts[0][0] <= 6 and counts[0][1] <= 4 and counts[1][1] <= 3, counts
