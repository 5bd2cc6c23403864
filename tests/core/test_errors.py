"""HTTP details a review found wrong: a 405's Allow, ids too large for the database, machine
times, and the ids of CSRF inputs."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from app.core.converters import LARGEST_ID
from app.core.roles import Role
from tests.conftest import DEFAULT_PASSWORD, login

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"


class _Page(HTMLParser):
    """The ids, forms and <time datetime> values of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.forms = 0
        self.times: list[str] = []
        self.csrf_ids: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(values["id"] or "")
            if (values.get("name") or "").endswith("csrf_token"):
                self.csrf_ids.append(values["id"] or "")
        if tag == "form":
            self.forms += 1
        if tag == "time" and values.get("datetime"):
            self.times.append(values["datetime"] or "")


def _int_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if any(type(conv).__name__ == "DatabaseIntegerConverter"
                   for conv in rule._converters.values())]


def _url(rule, number: int) -> str:
    """The rule's path with `number` for each integer and a plain word for the rest: built by
    hand, since the converter refuses to build a number it would not match."""
    path = re.sub(r"<int:[^>]+>", str(number), rule.rule)
    return re.sub(r"<(?:[a-z]+:)?[^>]+>", "x", path)


def test_a_method_not_allowed_says_which_are(client) -> None:
    response = client.get("/classroom/1/register")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"POST"}
    assert "does not accept that kind of request" in response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    login_page = client.delete("/auth/login")
    assert login_page.status_code == 405
    assert {"GET", "POST"} <= set(login_page.headers["Allow"].split(", "))


def test_an_id_too_large_for_the_database_is_not_found_on_every_route(app, client,
                                                                     make_user) -> None:
    make_user("grace@example.org", roles=(Role.ADMIN, Role.INSTRUCTOR, Role.ASSESSOR))
    login(client, "grace@example.org")
    assert client.get("/classroom/99999999999999999999/").status_code == 404
    rules = _int_rules(app)
    assert len(rules) >= 15
    for rule in rules:
        method = "GET" if "GET" in (rule.methods or ()) else "POST"
        for number in (LARGEST_ID + 1, 10**20):
            answer = client.open(_url(rule, number), method=method)
            assert answer.status_code == 404, (rule.rule, number, answer.status_code)
        # The largest the database holds reaches the view, which finds nothing.
        answer = client.open(_url(rule, LARGEST_ID), method=method)
        assert answer.status_code < 500, (rule.rule, answer.status_code)


def test_numbers_in_the_query_string_too_large_for_the_database_are_not_found(
        client, make_user) -> None:
    make_user("grace@example.org", roles=(Role.ADMIN, Role.ASSESSOR))
    login(client, "grace@example.org")
    huge = 10**20
    for url in (f"/admin/users?page={huge}", f"/admin/users?page={LARGEST_ID}",
                f"/records/events?page={huge}", f"/records/events?course={huge}",
                f"/grading/?course={huge}", f"/grading/?quiz={huge}",
                f"/grading/?older_than_days={huge}"):
        assert client.get(url).status_code == 404, url
    for url in ("/admin/users?page=2", "/records/events?page=-5", "/records/events?course=3",
                "/grading/?older_than_days=36500", "/grading/?course=x"):
        assert client.get(url).status_code == 200, url


def test_time_elements_carry_no_microseconds(client, make_user, clock) -> None:
    clock.advance(microseconds=123456)
    grace = make_user("grace@example.org", roles=(Role.ADMIN,))
    login(client, "grace@example.org")
    times = []
    for url in ("/admin/users", f"/admin/users/{grace.id}", f"/records/learners/{grace.id}",
                "/records/events"):
        times += _Page(client.get(url).get_data(as_text=True)).times
    assert len(times) >= 4
    for value in times:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", value), value
    assert "2026-03-02T09:00:00Z" in times


def test_no_page_repeats_an_id_however_many_forms_it_has(make_app, make_user) -> None:
    # Forms render their CSRF input only when CSRF is on. The requests run outside this
    # test's app context, as a server's do: each with its own `g`.
    app = make_app(WTF_CSRF_ENABLED=True)
    make_user("grace@example.org", roles=(Role.ADMIN,))
    amina = make_user("amina@example.org")
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    signed_in = client.post("/auth/login", data={
        "email": "grace@example.org", "password": DEFAULT_PASSWORD,
        "csrf_token": token.group(1)})
    assert signed_in.status_code == 302
    for url in (f"/admin/users/{amina.id}", f"/records/learners/{amina.id}"):
        html = client.get(url).get_data(as_text=True)
        parsed = _Page(html)
        repeated = [name for name, n in Counter(parsed.ids).items() if n > 1]
        assert parsed.forms >= 2 and not parsed.csrf_ids and not repeated, (url, repeated)
    # A form built with a prefix gets its token under its own name, and takes it.
    user_page = client.get(f"/admin/users/{amina.id}").get_data(as_text=True)
    prefixed = re.search(r'name="s-csrf_token" type="hidden" value="([^"]+)"', user_page)
    assert prefixed is not None
    done = client.post(f"/admin/users/{amina.id}/active", data={
        "s-csrf_token": prefixed.group(1), "s-reason": "Left the programme"})
    assert done.status_code == 302, done.status_code


def test_templates_render_csrf_inputs_with_the_one_helper() -> None:
    """A form's own `csrf_token` field renders id="csrf_token": two on a page repeat it."""
    for template in TEMPLATES.rglob("*.html"):
        assert ".csrf_token" not in template.read_text(), template
