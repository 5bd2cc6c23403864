"""Modules have their own URL segment, so that no module id can shadow a page of the course,
and the addresses they had before redirect to it."""

from __future__ import annotations

import pytest

from app.content.models import Course
from app.extensions import db
from app.learning.services import assign_staff, enrol
from tests.conftest import login
from tests.course_files import module_md

SLUG = "aseptic-basics"
# Ids that are also fixed pages of a course (or one of its POST-only actions).
SHADOWING = ("roster", "staff", "enrol", "gradebook", "withdraw", "modules")


@pytest.fixture
def course(app, clock, import_files, people) -> Course:
    files = {"01-intro.md": module_md("Intro"),
             "02-locked.md": module_md("Locked", extra="prerequisites: [intro]\n")}
    files.update({f"{n + 3:02d}-{slug}.md": module_md(f"Lesson {slug}")
                  for n, slug in enumerate(SHADOWING)})
    found = import_files(files, slug=SLUG)
    assign_staff(people["grace"], found, people["ivan"], "instructor", clock())
    enrol(people["amina"], found, clock())
    db.session.commit()
    return found


@pytest.mark.parametrize("slug", SHADOWING)
def test_a_module_named_like_a_page_opens_at_its_own_address(client, course, people,
                                                             slug: str) -> None:
    login(client, "amina@example.org")
    page = client.get(f"/learning/{SLUG}/modules/{slug}")
    assert page.status_code == 200
    assert f"Lesson {slug}" in page.get_data(as_text=True)
    done = client.post(f"/learning/{SLUG}/modules/{slug}/complete")
    assert done.status_code == 302
    assert "is complete" in client.get(done.headers["Location"]).get_data(as_text=True)


def test_the_pages_of_the_course_stay_where_they_were(client, course, people) -> None:
    login(client, "amina@example.org")
    for page in ("learning/{}/roster", "learning/{}/staff", "grading/{}/gradebook"):
        assert client.get("/" + page.format(SLUG)).status_code == 403, page
    client.post("/auth/logout")
    login(client, "ivan@example.org")
    roster = client.get(f"/learning/{SLUG}/roster")
    assert roster.status_code == 200 and "Amina Yusuf" in roster.get_data(as_text=True)
    assert client.get(f"/learning/{SLUG}/roster.csv").status_code == 200
    client.post("/auth/logout")
    login(client, "grace@example.org")
    assert "Ivan Instructor" in client.get(f"/learning/{SLUG}/staff").get_data(as_text=True)


def test_pages_link_modules_at_their_own_address(client, course, people) -> None:
    login(client, "amina@example.org")
    page = client.get(f"/catalog/{SLUG}/").get_data(as_text=True)
    assert f'href="/learning/{SLUG}/modules/roster"' in page
    lesson = client.get(f"/learning/{SLUG}/modules/intro").get_data(as_text=True)
    assert f'action="/learning/{SLUG}/modules/intro/complete"' in lesson
    assert f'href="/learning/{SLUG}/modules/locked"' in lesson  # the next module


def test_old_module_addresses_redirect_with_their_query(client, course, people) -> None:
    login(client, "amina@example.org")
    new = f"/learning/{SLUG}/modules"
    for old in (f"/courses/{SLUG}", f"/courses/{SLUG}/modules"):  # both earlier addresses
        moved = client.get(f"{old}/intro?from=mail&n=%C3%A9")
        assert moved.status_code == 301
        assert moved.headers["Location"] == f"{new}/intro?from=mail&n=%C3%A9"
        assert client.get(f"{old}/intro").headers["Location"] == f"{new}/intro"
        # A completion form opened before the move keeps its method and its fields.
        posted = client.post(f"{old}/intro/complete?x=1")
        assert posted.status_code == 308
        assert posted.headers["Location"] == f"{new}/intro/complete?x=1"
    # A POST-only page does not take the GET of a saved link to the module of that name.
    assert client.get(f"/courses/{SLUG}/enrol").headers["Location"] == f"{new}/enrol"
    followed = client.post(f"/courses/{SLUG}/intro/complete", follow_redirects=True)
    assert "“Intro” is complete." in followed.get_data(as_text=True)


@pytest.mark.parametrize("who", [None, "kim@example.org", "amina@example.org"])
def test_the_redirect_tells_nothing_of_a_module(client, course, people, who) -> None:
    """An existing, a locked and a made-up module answer alike at their old address: what a
    visitor may learn is up to the new one."""
    if who:
        login(client, who)
    answers = []
    for slug in ("intro", "locked", "no-such-module"):
        response = client.get(f"/courses/{SLUG}/{slug}")
        assert response.headers["Location"] == f"/learning/{SLUG}/modules/{slug}"
        answers.append((response.status_code, response.get_data(as_text=True).replace(
            slug, "*"), sorted((k, v.replace(slug, "*")) for k, v in response.headers.items()
                             if k != "Content-Length")))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == 301
    # The new address answers as it always did: an unknown module is not found, a locked
    # one shows why it is locked to its learner.
    assert client.get(f"/learning/{SLUG}/modules/no-such-module").status_code == (
        302 if who is None else 404)
    if who == "amina@example.org":
        locked = client.get(f"/learning/{SLUG}/modules/locked").get_data(as_text=True)
        assert "Finish these modules first: Intro." in locked
    # An unknown course is never redirected into a module.
    assert client.get("/learning/nope/modules/intro").status_code in (302, 404)
