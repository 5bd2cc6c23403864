"""What browsers and proxies may keep: nothing private, nothing exported; HSTS in production."""

from __future__ import annotations

from app.classroom.services import calendar_feed
from app.core.roles import Role
from app.extensions import db
from tests.conftest import login
from tests.factories import published_media_url

NO_STORE = "private, no-store"


def _kept(response) -> bool:
    return "no-store" not in response.headers.get("Cache-Control", "")


def _static_kept(client) -> bool:
    with client.get("/static/style.css") as response:  # a file: closed when read
        assert response.status_code == 200
        return _kept(response)


def test_anonymous_visitors_keep_caching_of_public_pages_and_files(
        client, runner, write_course) -> None:
    for url in ("/", "/auth/login", "/catalog/"):
        response = client.get(url)
        assert response.status_code == 200 and _kept(response), url
    assert _static_kept(client)
    media = client.get(published_media_url(runner, write_course))
    assert "immutable" in media.headers["Cache-Control"] and _kept(media)


def test_every_response_to_a_signed_in_user_is_no_store(client, make_user, runner,
                                                        write_course) -> None:
    amina = make_user("amina@example.org")
    media_url = published_media_url(runner, write_course)
    answer = login(client, "amina@example.org")
    assert answer.status_code == 302 and answer.headers["Cache-Control"] == NO_STORE
    for url in ("/", "/learning/dashboard", "/catalog/", f"/records/learners/{amina.id}",
                "/auth/profile", "/no/such/page"):
        assert client.get(url).headers.get("Cache-Control") == NO_STORE, url
    # Files that are the same for everyone still are.
    assert _static_kept(client)
    assert "immutable" in client.get(media_url).headers["Cache-Control"]


def test_every_export_is_no_store_whoever_asks(client, make_user) -> None:
    amina = make_user("amina@example.org")
    make_user("grace@example.org", roles=(Role.ADMIN,))
    feed = calendar_feed(amina, amina.created_at)
    db.session.commit()
    # Without logging in: the calendar feed (its token is the key) and the health check.
    for url in (f"/classroom/feed/{feed.token}.ics", "/healthz"):
        response = client.get(url)
        assert response.status_code == 200 and response.headers["Cache-Control"] == NO_STORE
    login(client, "grace@example.org")
    for url, mimetype in ((f"/records/learners/{amina.id}/record.csv", "text/csv"),
                          (f"/records/learners/{amina.id}/record.pdf", "application/pdf"),
                          ("/records/events.csv", "text/csv")):
        response = client.get(url)
        assert response.mimetype == mimetype
        assert response.headers["Cache-Control"] == NO_STORE, url


def test_strict_transport_security_in_production_only(make_app, client) -> None:
    assert "Strict-Transport-Security" not in client.get("/").headers
    production = make_app(TRAINHUB_ENV="production").test_client()
    for url in ("/", "/static/style.css", "/healthz"):
        with production.get(url) as response:
            assert response.headers["Strict-Transport-Security"] == (
                "max-age=31536000; includeSubDomains")
