"""The real TrainHub under gunicorn (two sync workers in their own process, on a free port,
against the test database: `tests/live.py`), and Debian's chromium driven by Playwright.

The browser is never downloaded: Playwright launches /usr/bin/chromium (or $CHROMIUM). Where
no chromium is installed these tests are skipped with a reason, unless
TRAINHUB_REQUIRE_BROWSER=1 (CI sets it), which turns the absence into a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from tests.e2e.pages import WAIT_MS
from tests.live import ROOT, free_port, start_gunicorn

CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def _chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = _chromium_path()
    if executable is None:
        if os.environ.get("TRAINHUB_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is required (TRAINHUB_REQUIRE_BROWSER=1) but not installed")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def live_app(make_app) -> Flask:
    """An app on the same database as the server, for setting up data in a test."""
    return make_app()


@pytest.fixture(scope="session")
def _gunicorn(migrated_database: str, tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[str]:
    """One server for the whole run, on a free port, against the test database."""
    port = free_port()
    server = start_gunicorn(migrated_database, port,
                            tmp_path_factory.mktemp("gunicorn") / "gunicorn.log")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=15)


@pytest.fixture
def live_server(_gunicorn: str, live_app: Flask) -> str:
    """The server's URL; `live_app` empties the database after the test."""
    return _gunicorn


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1100, "height": 800}, locale="en-GB")
    # How long an action, a navigation or an expect(...) waits for the page before it fails.
    context.set_default_timeout(WAIT_MS)
    expect.set_options(timeout=WAIT_MS)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def shipped_courses(live_app: Flask) -> None:
    """The courses in courses/ imported into the test database."""
    from app.content.importer import import_courses
    from app.content.loader import load_courses
    from app.extensions import db

    with live_app.app_context():
        courses, problems = load_courses([ROOT / "courses"])
        assert not problems
        import_courses(courses, now=live_app.config["CLOCK"]())
        db.session.commit()


@pytest.fixture
def intake(live_app: Flask, shipped_courses: None) -> dict[str, Any]:
    """An intake in progress in the shipped courses (tests/e2e/intake.py): the addresses
    of the pages its people see."""
    from tests.e2e.intake import build_intake

    return build_intake(live_app)
