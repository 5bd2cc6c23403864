"""Authoring in the browser: an instructor uploads a course with two errors, sees both with
their lines, fixes them in the editor (live preview), previews as a learner and publishes; a
learner sees the content; a raised version flags retraining; a roll back restores the
earlier revision."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.auth.services import Profile, create_account
from app.core.roles import Role
from app.extensions import db
from tests.authoring.helpers import make_zip, small_course
from tests.e2e.pages import assert_accessible, follow, log_in, log_out, screenshot

pytestmark = pytest.mark.e2e
PASSWORD = "a long enough passphrase"
SLUG = "cleanroom-basics"
GOOD_INTRO = ("---\ntitle: Introduction\nmodality: virtual\n---\n# Introduction\n\n"
              "Gowning matters.\n")


@pytest.fixture
def ready(live_app, tmp_path):
    with live_app.app_context():
        now = live_app.config["CLOCK"]()
        create_account(email="ivan@example.org", password=PASSWORD,
                       profile=Profile("Ivan Petrov", "RS"), roles=[Role.INSTRUCTOR], now=now)
        create_account(email="amina@example.org", password=PASSWORD,
                       profile=Profile("Amina Yusuf", "NG"), now=now)
        db.session.commit()
    files = small_course()
    files["01-intro.md"] = GOOD_INTRO.replace("virtual", "online").encode()
    files["02-practice.md"] = b"---\ntitle: Practice\nprerequisites: [intr]\n---\n\nPractise.\n"
    archive = tmp_path / f"{SLUG}.zip"
    archive.write_bytes(make_zip(files, top=SLUG))
    return archive


def test_upload_fix_preview_publish_retrain_roll_back(page, live_server, ready) -> None:
    log_in(page, live_server, "ivan@example.org")
    follow(page, page.get_by_role("link", name="Authoring"))
    page.get_by_label("Course archive").set_input_files(str(ready))
    follow(page, page.get_by_role("button", name="Upload").first)
    expect(page.get_by_text("2 problems to fix before publishing")).to_be_visible()
    expect(page.get_by_role("link", name="01-intro.md:3")).to_be_visible()
    expect(page.get_by_role("link", name="02-practice.md:3")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "30-upload-report")

    # Fix the first in the editor; the live check follows the typing.
    follow(page, page.get_by_role("link", name="01-intro.md:3"))
    editor = page.get_by_label("01-intro.md (Markdown)")
    assert editor.evaluate("t => t.value.substring(t.selectionStart, t.selectionEnd)") == \
        "modality: online"
    editor.fill(GOOD_INTRO)
    expect(page.get_by_text("Preview updated (not saved)")).to_be_visible()
    expect(page.get_by_text("1 problem to fix before publishing")).to_be_visible()
    expect(page.locator("[data-preview]").get_by_text("Gowning matters.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "31-editor-live-preview")
    follow(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_text("Saved 01-intro.md in the draft.")).to_be_visible()
    follow(page, page.get_by_role("link", name="02-practice.md:3"))
    page.get_by_label("02-practice.md (Markdown)").fill(
        "---\ntitle: Practice\nprerequisites: [intro]\n---\n\nPractise gowning.\n")
    follow(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_text("No problems: the draft is ready to publish.")).to_be_visible()

    follow(page, page.get_by_role("link", name="Preview as a learner"))
    expect(page.get_by_text("Draft preview of cleanroom-basics")).to_be_visible()
    expect(page.get_by_text("Gowning matters.")).to_be_visible()
    screenshot(page, "32-draft-preview")
    follow(page, page.get_by_role("link", name="Files and checks"))
    follow(page, page.get_by_role("button", name="Publish the draft"))
    expect(page.get_by_text("Published.")).to_be_visible()
    log_out(page)

    log_in(page, live_server, "amina@example.org")
    page.goto(f"{live_server}/catalog/{SLUG}/")
    follow(page, page.get_by_role("button", name="Enrol"))
    page.goto(f"{live_server}/learning/{SLUG}/modules/intro")
    expect(page.get_by_text("Gowning matters.")).to_be_visible()
    follow(page, page.get_by_role("button", name="Mark as complete"))
    expect(page.get_by_text("is complete.")).to_be_visible()
    log_out(page)

    # A new version of the lesson: learners who completed it are due for retraining.
    log_in(page, live_server, "ivan@example.org")
    page.goto(f"{live_server}/authoring/{SLUG}/files/01-intro.md")
    page.get_by_label("01-intro.md (Markdown)").fill(GOOD_INTRO.replace(
        "modality: virtual", "modality: virtual\nversion: 2").replace(
        "Gowning matters.", "Gowning matters more than ever: new Annex 1 rules."))
    follow(page, page.get_by_role("button", name="Save"))
    follow(page, page.get_by_role("link", name="Changes to publish"))
    expect(page.get_by_text("+version: 2")).to_be_visible()
    screenshot(page, "33-changes")
    follow(page, page.get_by_role("button", name="Publish the draft"))
    expect(page.get_by_text("Published.")).to_be_visible()
    log_out(page)

    log_in(page, live_server, "amina@example.org")
    page.goto(f"{live_server}/learning/{SLUG}/modules/intro")
    expect(page.get_by_text("new Annex 1 rules")).to_be_visible()
    expect(page.get_by_text("This module changed since you completed it")).to_be_visible()
    log_out(page)

    # Roll back to the first published revision.
    log_in(page, live_server, "ivan@example.org")
    page.goto(f"{live_server}/authoring/{SLUG}/revisions")
    assert_accessible(page)
    follow(page, page.get_by_role("button", name="Roll back to revision 3"))
    expect(page.get_by_text(
        "Module versions never go down: 01-intro.md keeps version 2")).to_be_visible()
    screenshot(page, "34-revisions")
    log_out(page)
    log_in(page, live_server, "amina@example.org")
    page.goto(f"{live_server}/learning/{SLUG}/modules/intro")
    expect(page.get_by_text("Gowning matters.")).to_be_visible()
    expect(page.get_by_text("new Annex 1 rules")).to_have_count(0)
