"""Authoring pages through the test client: who may use them, the editor, preview, publish."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.authoring.drafts import upload_course
from app.authoring.publishing import publish
from app.authoring.revisions import find_source
from app.content.models import Course
from app.extensions import db
from tests.authoring.helpers import make_zip, small_course
from tests.conftest import login

SLUG = "cleanroom-basics"
ARGS: dict[str, Any] = {"slug": SLUG, "path": "01-intro.md", "number": 1, "digest": "0" * 16,
                        "name": "x.svg"}


@pytest.fixture
def published(people, clock):
    upload_course(people["ivan"], f"{SLUG}.zip", make_zip(small_course()), clock())
    source = find_source(SLUG)
    assert source is not None
    publish(people["ivan"], source, clock())
    db.session.commit()
    return source


def course_routes(app) -> list[tuple[str, str]]:
    """Every authoring URL of one course, with its methods."""
    found = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if rule.endpoint.startswith("authoring.") and "slug" in rule.arguments:
                url = url_for(rule.endpoint, **{k: ARGS[k] for k in rule.arguments})
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    found.append((method, url))
    return found


@pytest.mark.parametrize("who", ["amina@example.org", "olu@example.org"])
def test_learners_and_other_instructors_get_403_on_every_course_route(app, client, published,
                                                                       who: str) -> None:
    routes = course_routes(app)
    assert len(routes) >= 14
    login(client, who)
    for method, url in routes:
        answer = client.open(url, method=method, data={"text": "x", "new_name": "09-x.md",
                                                       "filename": "09-x.md"})
        assert answer.status_code == 403, (method, url)
    draft = find_source(SLUG)
    assert draft is not None and draft.draft_revision_id == draft.published_revision_id


def test_a_learner_cannot_reach_authoring_at_all(client, people) -> None:
    login(client, "amina@example.org")
    assert client.get("/authoring/").status_code == 403
    archive = (io.BytesIO(make_zip(small_course())), "mine.zip")
    assert client.post("/authoring/upload", data={"archive": archive}).status_code == 403
    assert client.post("/authoring/new", data={"slug": "mine", "title": "Mine"}
                       ).status_code == 403
    assert find_source("mine") is None


def test_upload_report_links_each_problem_to_its_line(client, people) -> None:
    files = small_course()
    files["01-intro.md"] = b"---\ntitle: Introduction\nmodality: online\n---\n\nText\n"
    login(client, "ivan@example.org")
    answer = client.post("/authoring/upload", data={
        "archive": (io.BytesIO(make_zip(files, top=SLUG)), "upload.zip")},
        follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert "1 problem to fix before publishing" in page
    assert f'href="/authoring/{SLUG}/files/01-intro.md?line=3#editor">01-intro.md:3</a>' in page
    refused = client.post("/authoring/upload", data={
        "archive": (io.BytesIO(make_zip({**files, "../x.md": b""})), "bad.zip")})
    assert b"The archive was refused; nothing was stored" in refused.data
    assert b"../x.md: the path leaves the course folder" in refused.data


def test_editing_previewing_and_a_stale_save(client, published, people) -> None:
    login(client, "ivan@example.org")
    url = f"/authoring/{SLUG}/files/01-intro.md"
    editor = client.get(url)
    assert editor.status_code == 200 and b"Gowning matters." in editor.data
    base = str(published.draft_revision_id)
    text = "---\ntitle: Introduction\n---\n\nA <script>alert(1)</script> **bold** change.\n"
    shown = client.post(url, data={"text": text, "base_revision": base, "action": "preview"})
    assert b"<strong>bold</strong> change" in shown.data and b"<script>alert" not in shown.data
    live = client.post(url + "/preview.json", data={"text": text + "\n```quiz\n1. x\n```\n"})
    payload = live.get_json()
    assert "<strong>bold</strong>" in payload["html"] and "<script>" not in payload["html"]
    assert payload["problems"] and payload["problems"][0]["path"] == "01-intro.md"
    source = find_source(SLUG)
    assert source is not None
    assert source.draft_revision_id == published.published_revision_id  # unsaved
    saved = client.post(url, data={"text": text, "base_revision": base, "action": "save"})
    assert saved.status_code == 302
    stale = client.post(url, data={"text": text + "more\n", "base_revision": base,
                                   "action": "save"})
    assert stale.status_code == 409 and b"was changed by someone else" in stale.data
    changes = client.get(f"/authoring/{SLUG}/changes")
    assert b"+A &lt;script&gt;" in changes.data
    preview = client.get(f"/authoring/{SLUG}/preview/01-intro.md")
    assert b"Draft preview" in preview.data and b"<strong>bold</strong>" in preview.data
    client.post(f"/authoring/{SLUG}/publish")
    course = db.session.scalar(select(Course).where(Course.slug == SLUG))
    assert course is not None
    client.post("/auth/logout")
    login(client, "amina@example.org")
    client.post(f"/learning/{SLUG}/enrol")
    lesson = client.get(f"/learning/{SLUG}/modules/intro")
    assert b"<strong>bold</strong> change" in lesson.data


def test_draft_media_preview_before_publishing(client, published, people) -> None:
    login(client, "ivan@example.org")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    client.post(f"/authoring/{SLUG}/media", data={"media": (io.BytesIO(svg), "flow.svg")})
    url = f"/authoring/{SLUG}/files/01-intro.md"
    text = "---\ntitle: Introduction\n---\n\n![The flow](media/flow.svg)\n"
    source = find_source(SLUG)
    assert source is not None
    shown = client.post(url, data={"text": text, "action": "preview",
                                   "base_revision": str(source.draft_revision_id)})
    page = shown.get_data(as_text=True)
    start = page.index(f'src="/authoring/{SLUG}/media/') + 5
    src = page[start:page.index('"', start)]
    image = client.get(src)
    assert image.status_code == 200 and image.data == svg
    assert image.mimetype == "image/svg+xml"
    assert image.headers["Cache-Control"] == "private, no-store"  # a draft: never kept


def test_an_oversized_upload_is_refused_before_it_is_read(client, people) -> None:
    login(client, "ivan@example.org")
    answer = client.post("/authoring/upload", data=b"\0" * (26 * 1024 * 1024),
                         content_type="multipart/form-data; boundary=x")
    assert answer.status_code == 413 and b"Nothing was stored" in answer.data
    assert find_source("huge") is None


# Right answers crowd the first position; each has its feedback, so that is all to warn of.
HABIT = ("\n```quiz\n"
         + "".join(f"{n}.  Question {n}?\n    (x) Right\n        > Because.\n    ( ) Wrong\n"
                   "    ( ) Also wrong\n" for n in (1, 2, 3))
         + "```\n")


def test_a_warning_is_shown_as_a_warning_and_does_not_stop_publishing(client, people) -> None:
    files = small_course(body="Gowning matters.\n" + HABIT)
    login(client, "ivan@example.org")
    client.post("/authoring/upload", data={
        "archive": (io.BytesIO(make_zip(files, top=SLUG)), "upload.zip")})
    page = client.get(f"/authoring/{SLUG}/").get_data(as_text=True)
    assert "No errors: the draft is ready to publish." in page
    assert "problem to fix" not in page and "form-errors" not in page
    assert '<div class="flash flash-warning problem-list" role="status">' in page
    assert "1 warning, which does not stop publishing:" in page
    assert (f'href="/authoring/{SLUG}/files/01-intro.md?line=8#editor">01-intro.md:8</a>: '
            '<span lang="en" dir="ltr">quiz &#34;intro-quiz-1&#34;: the right answer is choice 1 '
            "in 3 of 3 questions") in page
    assert '<code class="problem-code">[answer-positions]</code>' in page
    assert "Publish the draft</button>" in page and " disabled>Publish" not in page
    live = client.post(f"/authoring/{SLUG}/files/01-intro.md/preview.json",
                       data={"text": files["01-intro.md"].decode()}).get_json()
    assert live["problems"] == []
    assert [(w["path"], w["line"]) for w in live["warnings"]] == [("01-intro.md", 8)]
    assert [w["code"] for w in live["warnings"]] == ["answer-positions"]
    assert "1 warning, which does not stop publishing:" in live["report"]
    client.post(f"/authoring/{SLUG}/publish")
    assert db.session.scalar(select(Course).where(Course.slug == SLUG)) is not None


def test_the_editor_script_takes_its_words_from_the_page(client, published) -> None:
    script = (Path(__file__).resolve().parents[2] / "app" / "static" / "editor.js").read_text()
    literals = re.findall(r'"([^"\n]*)"', re.sub(r"//.*", "", script))
    assert [text for text in literals if re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", text)
            and text != "use strict"] == []
    login(client, "ivan@example.org")
    page = client.get(f"/authoring/{SLUG}/files/01-intro.md").get_data(as_text=True)
    for attribute in ('data-checking="Checking…"', 'data-updated="Preview updated (not saved)"',
                      'data-unavailable="Preview unavailable: use the Preview button"'):
        assert attribute in page
