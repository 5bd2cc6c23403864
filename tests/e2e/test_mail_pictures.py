"""The mails people get, as a mail client draws them: each message's HTML part, as the real
SMTP server received it, shown by chromium at phone and desktop widths in French and in
Arabic, for a person to look at (screenshots `mail-LANG-KIND-WIDTH`). Each is in its
reader's language and direction, loads nothing (no image, no remote style), does not scroll
sideways at 360 px, and is axe-clean."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from playwright.sync_api import Browser
from sqlalchemy import select

from app.auth.recovery import request_password_reset
from app.auth.services import Profile, change_password, create_account
from app.classroom.changes import cancel_session, change_session
from app.classroom.services import Schedule, register_for_session
from app.extensions import db
from app.mail.models import OutboxMessage
from app.mail.outbox import send_due
from tests.blended import Gxp
from tests.conftest import FrozenClock, smtp_settings
from tests.e2e.pages import assert_accessible, screenshot

pytestmark = pytest.mark.e2e
PASSWORD = "a long enough passphrase"
NEW_PASSWORD = "another long passphrase"
WIDTHS = {"360": 360, "800": 800}


def _html_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None, "a message without an HTML part"
    return part.get_content()


@pytest.mark.parametrize("tag", ["fr", "ar"])
def test_account_mails_read_well_in_a_mail_client(browser: Browser, make_app, smtp_server,
                                                  tag: str) -> None:
    sender = make_app(**smtp_settings(smtp_server))
    with sender.app_context():
        now = datetime.now(UTC)
        amina = create_account(email="amina@example.org", password=PASSWORD,
                               profile=Profile("Amina Yusuf", "MA", timezone="Africa/Casablanca"),
                               now=now)
        amina.language = tag
        request_password_reset("amina@example.org", now=now)
        change_password(amina, current=PASSWORD, new=NEW_PASSWORD, now=now)
        db.session.commit()
        assert send_due(now).sent == 2
    assert len(smtp_server.messages) == 2  # the reset link, then "your password changed"
    context = browser.new_context()
    page = context.new_page()
    for number, message in enumerate(smtp_server.messages, start=1):
        html = _html_part(message.parsed())
        assert "<img" not in html and "http-equiv" not in html.lower()
        for name, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 800})
            page.set_content(html)
            assert page.locator("html").get_attribute("lang") == tag
            assert page.locator("html").get_attribute("dir") == ("rtl" if tag == "ar" else "ltr")
            if width == 360:
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                assert_accessible(page)
            screenshot(page, f"mail-{tag}-{number}-{name}")
    context.close()


@pytest.mark.parametrize("tag", ["fr", "ar"])
def test_session_mails_read_well_in_a_mail_client(browser: Browser, gxp: Gxp,
                                                  clock: FrozenClock, tag: str) -> None:
    """A live session moved, then cancelled: the two notices Amina gets, with their calendar
    files, drawn as her mail client would (screenshots `mail-LANG-session-N-WIDTH`)."""
    amina = gxp.learners[0]
    amina.language, amina.timezone = tag, "Africa/Casablanca"
    starts = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
    session = gxp.schedule(gxp.workshop, starts)
    register_for_session(amina, session, clock())
    later = starts + timedelta(days=1, hours=2)
    change_session(gxp.instructor, session, Schedule(
        module=gxp.workshop, starts_at=later, ends_at=later + timedelta(hours=2),
        timezone=session.timezone, capacity=session.capacity, facilitator=gxp.instructor,
        location="Clean room B, level 2"), clock())
    cancel_session(gxp.instructor, session, "The facility is closed for maintenance",
                   clock())
    db.session.commit()
    rows = db.session.scalars(select(OutboxMessage.message).where(
        OutboxMessage.user_id == amina.id).order_by(OutboxMessage.id)).all()
    messages = [message_from_bytes(row, policy=policy.default) for row in rows]
    assert len(messages) == 2  # moved, then cancelled
    context = browser.new_context()
    page = context.new_page()
    for number, message in enumerate(messages, start=1):
        assert isinstance(message, EmailMessage)
        assert any(part.get_content_type() == "text/calendar"
                   for part in message.iter_attachments())
        html = _html_part(message)
        assert "<img" not in html
        for name, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 800})
            page.set_content(html)
            assert page.locator("html").get_attribute("lang") == tag
            if width == 360:
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                assert_accessible(page)
            screenshot(page, f"mail-{tag}-session-{number}-{name}")
    context.close()
