"""An answer the server acknowledged survives the server being killed outright."""

from __future__ import annotations

import os
import signal

import pytest
from playwright.sync_api import expect

from tests.e2e.knowledge_check import start_knowledge_check
from tests.live import free_port, start_gunicorn

pytestmark = pytest.mark.e2e


def test_a_saved_answer_survives_killing_the_server(page, live_app, migrated_database,
                                                     tmp_path, shipped_courses) -> None:
    port = free_port()
    server_url = f"http://127.0.0.1:{port}"
    log = tmp_path / "gunicorn.log"
    server = start_gunicorn(migrated_database, port, log)
    try:
        start_knowledge_check(page, server_url, live_app)
        page.locator("#q-2").fill("ICH E6")
        expect(page.get_by_text("Saved at")).to_be_visible()  # the server acknowledged the save
    finally:
        os.killpg(server.pid, signal.SIGKILL)  # master and workers, no clean shutdown
        server.wait(timeout=15)
    server = start_gunicorn(migrated_database, port, log)
    try:
        page.reload()
        expect(page.locator("#q-2")).to_have_value("ICH E6")
    finally:
        server.terminate()
        server.wait(timeout=15)
