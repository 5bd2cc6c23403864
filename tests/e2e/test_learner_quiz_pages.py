"""A learner's quiz pages in the browser: their own answers on the review beside the right
ones, a time limit counting down on their own clock, and answers typed after the session
ended kept on the device and saved once they are back."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.auth.services import Profile, create_account
from app.content.models import Course, Module, Quiz
from app.core.time import utcnow
from app.core.zones import local_time
from app.extensions import db
from app.learning.services import complete_module, enrol
from app.quizzes.services import start_attempt
from tests.e2e.pages import assert_accessible, follow, log_in, log_out, screenshot

pytestmark = pytest.mark.e2e

GXP = "gxp-standard-practice"
ZONE = "Asia/Kolkata"  # UTC+05:30: a clock the browser's UTC cannot pass for


def _learner(live_app, *, ready_for_validation: bool = False) -> None:
    """Amina, in Kolkata's time zone, enrolled in GxP (and past its first two modules)."""
    with live_app.app_context():
        now = live_app.config["CLOCK"]()
        amina = create_account(email="amina@example.org", password="a long enough passphrase",
                               profile=Profile("Amina Yusuf", "NG", timezone=ZONE), now=now)
        course = db.session.scalar(select(Course).where(Course.slug == GXP))
        assert course is not None
        enrol(amina, course, now)
        if ready_for_validation:
            for slug in ("why-gxp", "good-documentation-practice"):
                module = db.session.scalar(select(Module).where(
                    Module.course_id == course.id, Module.slug == slug))
                assert module is not None
                complete_module(amina, module, now)
        db.session.commit()


def _both_sizes(page: Page, name: str) -> None:
    page.evaluate("window.scrollTo(0, 0)")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, f"{name}-1280")
    page.set_viewport_size({"width": 360, "height": 780})
    assert page.evaluate("document.documentElement.scrollWidth <= 360")
    screenshot(page, f"{name}-360")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_review_shows_own_answers_beside_the_right_ones(page, live_server, live_app,
                                                           shipped_courses) -> None:
    _learner(live_app)
    log_in(page, live_server, "amina@example.org")
    page.goto(live_server + f"/learning/{GXP}/modules/why-gxp")
    follow(page, page.get_by_role("button", name="Start"))
    page.get_by_label("GLP", exact=True).check()
    page.locator("#q-2").fill("ICH E8")
    expect(page.get_by_text("Saved at")).to_be_visible()
    follow(page, page.get_by_role("button", name="Submit for marking"))
    expect(page.get_by_text("Score:")).to_be_visible()
    first, second = page.locator("li.question").nth(0), page.locator("li.question").nth(1)
    expect(first.locator(".review-own")).to_contain_text("GLP")
    expect(first).to_contain_text("Right answer")
    expect(first).to_contain_text("GMP")
    expect(second.locator(".review-own")).to_contain_text("ICH E8")
    expect(second).to_contain_text("E8 covers general considerations")
    expect(page.locator(".review-own").filter(has_text="No answer given.").first).to_be_visible()
    assert_accessible(page)
    _both_sizes(page, "50-quiz-review-own-answers")


def test_a_timed_attempt_counts_down_on_the_learners_clock(page, live_server, live_app,
                                                         shipped_courses) -> None:
    _learner(live_app, ready_for_validation=True)
    with live_app.app_context():
        from app.auth.models import User

        amina = db.session.scalar(select(User).where(User.email == "amina@example.org"))
        quiz = db.session.scalar(select(Quiz).where(Quiz.slug == "validation-assessment"))
        assert amina is not None and quiz is not None and quiz.time_limit_minutes
        # Started so long ago by the server's real clock that 70 seconds are left.
        started = utcnow() - timedelta(minutes=quiz.time_limit_minutes, seconds=-70)
        attempt = start_attempt(amina, quiz, started)
        db.session.commit()
        assert attempt.deadline_at is not None
        deadline = local_time(attempt.deadline_at, ZONE).strftime("%H:%M")
        attempt_id = attempt.id
    log_in(page, live_server, "amina@example.org")
    page.goto(live_server + f"/quizzes/attempts/{attempt_id}")
    bar = page.locator("#time-bar")
    expect(bar).to_contain_text(f"Submit by {deadline} your time")
    expect(page.locator("#countdown")).to_have_text(re.compile(r"^0[01]:\d\d left$"))
    assert_accessible(page)
    # Crossing one minute left is announced once, politely; the seconds are not.
    expect(page.locator("#time-announce")).to_have_text(re.compile("^1 minute left"))
    expect(bar).to_have_class(re.compile("time-short"))
    page.locator("#q-rpn-calc").fill("96")
    expect(page.get_by_text("Saved at")).to_have_text(re.compile(r"Saved at \d\d:\d\d\."))
    saved_at = page.get_by_text("Saved at").text_content() or ""
    local_now = local_time(utcnow(), ZONE).strftime("%H:%M")
    assert local_now[:2] in saved_at  # the profile's hour, not UTC's
    _both_sizes(page, "51-quiz-countdown")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    expect(bar).to_be_in_viewport()  # it stays at the top as the learner scrolls


def test_answers_typed_after_the_session_ended_are_kept_and_saved_later(
        page, live_server, live_app, shipped_courses) -> None:
    _learner(live_app)
    log_in(page, live_server, "amina@example.org")
    page.goto(live_server + f"/learning/{GXP}/modules/why-gxp")
    follow(page, page.get_by_role("button", name="Start"))
    page.locator("#q-2").fill("ICH E6")
    expect(page.get_by_text("Saved at")).to_be_visible()
    other = page.context.new_page()  # the same browser logs out in another tab
    other.goto(live_server + "/")
    log_out(other)
    other.close()
    page.locator("#q-2").fill("E6")
    status = page.locator("#save-status")
    expect(status).to_contain_text("Your session has ended: your answers since")
    expect(status.get_by_role("link", name="Log in again in a new tab")).to_have_attribute(
        "target", "_blank")
    assert_accessible(page)
    _both_sizes(page, "52-quiz-session-ended")
    page.reload()  # not logged in: the log-in page, which leads back to the attempt
    page.get_by_label("E-mail address").fill("amina@example.org")
    page.get_by_label("Password").fill("a long enough passphrase")
    follow(page, page.get_by_role("button", name="Log in"))
    expect(page.locator("#q-2")).to_have_value("E6")  # put back from the device
    expect(status).to_contain_text("Saved at")
    page.reload()
    expect(page.locator("#q-2")).to_have_value("E6")  # now from the server
    expect(status).to_have_text("Your saved answers are filled in.")


def test_essays_count_their_words_and_a_refused_submit_names_each_one(
        page, live_server, live_app, shipped_courses) -> None:
    _learner(live_app, ready_for_validation=True)
    with live_app.app_context():
        from app.auth.models import User

        amina = db.session.scalar(select(User).where(User.email == "amina@example.org"))
        validation = db.session.scalar(select(Module).where(Module.slug == "validation-basics"))
        assert amina is not None and validation is not None
        complete_module(amina, validation, live_app.config["CLOCK"](), via="assessment")
        db.session.commit()
    log_in(page, live_server, "amina@example.org")
    page.goto(live_server + f"/learning/{GXP}/modules/deviation-workshop")
    follow(page, page.get_by_role("button", name="Start"))
    essays = page.locator("textarea[data-words-min]")
    expect(essays).to_have_count(2)
    first, second = essays.nth(0), essays.nth(1)
    first_id, second_id = first.get_attribute("id"), second.get_attribute("id")
    expect(page.locator(f"#{first_id}-count")).to_have_text("0 words (80\u2013250 asked).")
    first.fill("The lot was held.")
    expect(page.locator(f"#{first_id}-count")).to_have_text("4 words: write at least 80.")
    second.fill("Containment first.")
    expect(page.locator(f"#{second_id}-count")).to_have_text("2 words: write at least 120.")
    follow(page, page.get_by_role("button", name="Submit for marking"))
    expect(page.locator(f"#{first_id}-error")).to_contain_text("Write at least 80 words (now 4).")
    expect(page.locator(f"#{second_id}-error")).to_contain_text(
        "Write at least 120 words (now 2).")
    expect(page.locator("#submit-errors li")).to_have_count(2)
    expect(first).to_have_value("The lot was held.")  # saved, and filled in again
    assert_accessible(page)
    _both_sizes(page, "53-quiz-essay-word-limits")


def test_a_new_attempt_while_one_waits_for_grading_needs_the_box_ticked(
        page, live_server, live_app, shipped_courses) -> None:
    _learner(live_app, ready_for_validation=True)
    with live_app.app_context():
        from app.auth.models import User
        from app.quizzes.services import save_answers, submit_attempt

        now = live_app.config["CLOCK"]()
        amina = db.session.scalar(select(User).where(User.email == "amina@example.org"))
        validation = db.session.scalar(select(Module).where(Module.slug == "validation-basics"))
        quiz = db.session.scalar(select(Quiz).where(Quiz.slug == "deviation-report"))
        assert amina is not None and validation is not None and quiz is not None
        complete_module(amina, validation, now, via="assessment")
        attempt = start_attempt(amina, quiz, now)
        essays = {item["key"]: [" ".join(["word"] * 150)] for item in attempt.snapshot
                  if item["kind"] == "essay"}
        save_answers(amina, attempt, essays, 1, now)
        submit_attempt(amina, attempt, now)
        db.session.commit()
        assert attempt.state == "awaiting_grading"
    log_in(page, live_server, "amina@example.org")
    page.goto(live_server + f"/learning/{GXP}/modules/deviation-workshop")
    expect(page.get_by_text("Attempt 1 is waiting for grading")).to_be_visible()
    expect(page.get_by_role("button", name="Try again")).to_have_count(0)
    follow(page, page.get_by_role("button", name="Start a new attempt"))
    box = page.get_by_label("I understand that attempt 1 may still pass")
    expect(page.locator("#confirm-deviation-report-error")).to_be_visible()
    expect(box).not_to_be_checked()
    assert_accessible(page)
    page.locator("#start-deviation-report").scroll_into_view_if_needed()
    _both_sizes(page, "54-quiz-confirm-while-pending")
    box.check()
    follow(page, page.get_by_role("button", name="Start a new attempt"))
    expect(page.get_by_text("Attempt 2")).to_be_visible()
