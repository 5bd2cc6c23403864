"""The browser tests of the attempt page start where a learner does: a new account, enrolled
in the shipped GxP course, on the attempt page of its first knowledge check (question 1 a
choice, "GMP" among them; question 2 typed)."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, expect

from app.auth.services import Profile, create_account
from app.extensions import db
from tests.e2e.pages import PASSWORD, follow, log_in


def start_knowledge_check(page: Page, live_server: str, live_app: Flask) -> None:
    """Amina, a new account, logs in, enrols in the GxP course and starts its first
    module's knowledge check (the test asks for the `shipped_courses` fixture)."""
    with live_app.app_context():
        now = live_app.config["CLOCK"]()
        create_account(email="amina@example.org", password=PASSWORD,
                       profile=Profile("Amina Yusuf", "NG"), now=now)
        db.session.commit()
    log_in(page, live_server, "amina@example.org")
    page.goto(live_server + "/catalog/gxp-standard-practice/")
    follow(page, page.get_by_role("button", name="Enrol"))
    expect(page.get_by_text("You are enrolled.")).to_be_visible()
    page.goto(live_server + "/learning/gxp-standard-practice/modules/why-gxp")
    follow(page, page.get_by_role("button", name="Start"))
