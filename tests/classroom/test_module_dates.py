"""A live module's next dates and a Register button at the top of its page, read in one
statement; nothing more for a module without a live session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import g
from flask.testing import FlaskClient

from app.classroom.services import register_for_session
from app.extensions import db
from tests.blended import Gxp, complete_virtual_parts
from tests.conftest import FrozenClock, count_queries, login

NINE_IN_SEOUL = datetime(2026, 3, 9, 0, 0, tzinfo=UTC)


def _module_page(client: FlaskClient, gxp: Gxp, slug: str) -> str:
    response = client.get(f"/learning/{gxp.course.slug}/modules/{slug}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_next_dates_come_right_after_the_title_with_a_register_button(
        client: FlaskClient, gxp: Gxp, clock: FrozenClock) -> None:
    first = gxp.schedule(gxp.workshop, NINE_IN_SEOUL, capacity=1)
    second = gxp.schedule(gxp.workshop, NINE_IN_SEOUL + timedelta(days=7))
    gxp.schedule(gxp.workshop, clock() - timedelta(days=1))  # over: not offered
    amina, kim = gxp.learners
    register_for_session(kim, first, clock())
    db.session.commit()
    login(client, amina.email)
    page = _module_page(client, gxp, "deviation-workshop")
    title, dates = page.index('id="module-title"'), page.index("Live session: next dates")
    assert title < dates < page.index('class="lesson-body"') if 'lesson-body' in page else True
    assert dates - title < 1500  # next to the title, whatever the lesson's length
    assert "Mon 9 Mar 2026, 00:00 to 02:00 (UTC)" in page and "0 seats left" in page
    assert f'action="/classroom/{first.id}/register"' in page and "Join the waitlist" in page
    assert f'action="/classroom/{second.id}/register"' in page and ">Register<" in page
    assert page.count('/register"') == 2


def test_a_learner_with_a_seat_sees_it_instead_of_the_button(
        client: FlaskClient, gxp: Gxp, clock: FrozenClock) -> None:
    session = gxp.schedule(gxp.workshop, NINE_IN_SEOUL)
    amina = gxp.learners[0]
    register_for_session(amina, session, clock())
    db.session.commit()
    login(client, amina.email)
    page = _module_page(client, gxp, "deviation-workshop")
    assert "You have a seat" in page and '/register"' not in page


def test_a_live_module_without_dates_says_so_and_other_modules_show_nothing(
        client: FlaskClient, gxp: Gxp) -> None:
    login(client, gxp.learners[0].email)
    assert "No date is open for registration yet." in _module_page(
        client, gxp, "deviation-workshop")
    assert "Live session: next dates" not in _module_page(client, gxp, "why-gxp")


def _statements(client: FlaskClient, url: str) -> int:
    db.session.remove()
    g.pop("_login_user", None)
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_the_dates_cost_one_statement_and_only_on_a_live_module(
        client: FlaskClient, gxp: Gxp, clock: FrozenClock) -> None:
    complete_virtual_parts(gxp, gxp.learners[0], clock())  # the workshop opens
    for day in range(1, 6):
        gxp.schedule(gxp.workshop, NINE_IN_SEOUL + timedelta(days=day))
    db.session.commit()
    base = f"/learning/{gxp.course.slug}/modules"
    login(client, gxp.learners[0].email)
    client.get(f"{base}/why-gxp")
    client.get(f"{base}/deviation-workshop")  # each lesson read once, then cached
    reading = _statements(client, f"{base}/why-gxp")
    live = _statements(client, f"{base}/deviation-workshop")
    assert live == reading + 1  # both read their lesson; the workshop its dates too


def test_the_course_page_offers_live_sessions_only_when_some_are_coming_up(
        client: FlaskClient, gxp: Gxp, clock: FrozenClock) -> None:
    url = f"/catalog/{gxp.course.slug}/"
    gxp.schedule(gxp.workshop, clock() - timedelta(days=2))  # over already
    db.session.commit()
    login(client, gxp.learners[0].email)
    assert "Live sessions" not in client.get(url).get_data(as_text=True)
    gxp.schedule(gxp.workshop, NINE_IN_SEOUL)
    db.session.commit()
    assert "Live sessions: 1 coming up, dates and registration" in client.get(url).get_data(
        as_text=True)


def test_the_course_s_staff_are_offered_to_schedule_when_none_is_coming_up(
        client: FlaskClient, gxp: Gxp) -> None:
    login(client, gxp.instructor.email)
    page = client.get(f"/catalog/{gxp.course.slug}/").get_data(as_text=True)
    assert "Live sessions: none coming up, schedule them" in page
