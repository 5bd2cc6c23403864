"""A lesson travels light: the page and its stylesheet arrive compressed, and on the next
page the stylesheet, immutable under its digested name, comes from the browser's cache."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, Response, expect
from sqlalchemy import select

from app.auth.services import Profile, create_account
from app.content.models import Course
from app.core.roles import Role
from app.extensions import db
from app.learning.services import enrol
from tests.e2e.pages import PASSWORD, assert_accessible, log_in, screenshot

pytestmark = pytest.mark.e2e
COURSE = "/learning/gxp-standard-practice/modules/"
STYLESHEET = re.compile(r"/static/style\.[0-9a-f]{12}\.css$")


@pytest.fixture
def trainee(live_app, shipped_courses) -> None:
    with live_app.app_context():
        now = live_app.config["CLOCK"]()
        amina = create_account(email="amina@example.org", password=PASSWORD,
                               profile=Profile("Amina Yusuf", "NG"), roles=[Role.LEARNER],
                               now=now)
        course = db.session.scalars(select(Course).where(
            Course.slug == "gxp-standard-practice")).one()
        enrol(amina, course, now)
        db.session.commit()


def test_a_lesson_arrives_compressed_and_its_stylesheet_is_kept(page: Page, live_server,
                                                                trainee) -> None:
    log_in(page, live_server, "amina@example.org")
    responses: list[Response] = []
    page.on("response", lambda response: responses.append(response))
    page.goto(live_server + COURSE + "why-gxp")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Why GxP?")
    lesson = next(r for r in responses if r.url.endswith(COURSE + "why-gxp"))
    assert lesson.headers["content-encoding"] == "br"
    assert lesson.headers["cache-control"] == "private, no-store"
    css = next(r for r in responses if STYLESHEET.search(r.url))
    assert css.headers["content-encoding"] == "br"
    assert "immutable" in css.headers["cache-control"]
    # Decompressed by the browser and applied: the page is laid out by the stylesheet.
    assert page.evaluate("document.styleSheets[0].cssRules.length") > 50
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshot(page, "70-lesson-compressed")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "71-lesson-compressed-phone")

    # The next page: the browser answers the static files from its own cache (memory or
    # disk), asking the server for the page alone (Chrome's own record, through CDP).
    network = page.context.new_cdp_session(page)
    network.send("Network.enable")
    received: dict[str, dict[str, Any]] = {}
    from_memory: set[str] = set()
    network.on("Network.responseReceived",
               lambda event: received.update({event["requestId"]: event["response"]}))
    network.on("Network.requestServedFromCache",
               lambda event: from_memory.add(event["requestId"]))
    page.goto(live_server + COURSE + "good-documentation-practice")
    expect(page.get_by_role("heading", level=1)).to_contain_text("documentation")
    static = {key: response for key, response in received.items()
              if "/static/" in response["url"]}
    assert any(STYLESHEET.search(response["url"]) for response in static.values())
    assert all(key in from_memory or response["fromDiskCache"]
               for key, response in static.items()), static
    pages = [response for key, response in received.items() if key not in static]
    assert [response["fromDiskCache"] for response in pages] == [False]
