"""Pages go out compressed: brotli when asked, gzip otherwise, never what must stay as it is."""

from __future__ import annotations

import gzip

import brotli
import pytest
from flask import Flask, Response

from app.core.headers import NO_STORE
from app.core.roles import Role
from tests.conftest import login

BOTH = {"Accept-Encoding": "br, gzip"}


def _decoded(response) -> bytes:
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(response.data)
    if encoding == "gzip":
        return gzip.decompress(response.data)
    assert encoding is None
    return response.data


@pytest.mark.parametrize(("accepted", "encoding"), [
    ("br, gzip", "br"), ("gzip, deflate, br", "br"), ("gzip", "gzip"),
    ("gzip, br;q=0.5", "gzip"), ("", None), ("identity", None), ("deflate", None)])
def test_a_page_is_compressed_as_the_browser_asks(client, accepted, encoding) -> None:
    plain = client.get("/catalog/")
    response = client.get("/catalog/", headers={"Accept-Encoding": accepted})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert int(response.headers["Content-Length"]) == len(response.data)
    # The same page, byte for byte, once decompressed.
    assert _decoded(response) == plain.data
    if encoding:
        assert len(response.data) < len(plain.data) / 2


def test_tiny_responses_and_other_types_go_as_they_are(make_app) -> None:
    app: Flask = make_app()
    app.add_url_rule("/tiny", "tiny", lambda: "<p>A short page.</p>")
    app.add_url_rule("/large", "large", lambda: "<p>A longer page.</p>" * 100)
    app.add_url_rule("/text", "text", lambda: Response("words " * 1000, mimetype="text/plain"))
    client = app.test_client()
    assert "Content-Encoding" not in client.get("/tiny", headers=BOTH).headers
    assert "Content-Encoding" not in client.get("/text", headers=BOTH).headers
    assert client.get("/large", headers=BOTH).headers["Content-Encoding"] == "br"


def test_a_range_of_bytes_goes_as_it_is(make_app) -> None:
    """A 206's offsets count the bytes as they are: compressing them would break them."""
    app: Flask = make_app()
    app.add_url_rule("/part", "part", lambda: Response(
        "<p>part of a page</p>" * 100, status=206, mimetype="text/html",
        headers={"Content-Range": "bytes 0-2099/9000"}))
    response = app.test_client().get("/part", headers=BOTH)
    assert response.status_code == 206 and "Content-Encoding" not in response.headers
    assert "Accept-Encoding" in response.headers["Vary"]


def test_exports_stay_as_they_are_and_streams_stay_streams(client, make_user) -> None:
    amina = make_user("amina@example.org")
    make_user("grace@example.org", roles=(Role.ADMIN,))
    login(client, "grace@example.org")
    pdf = client.get(f"/records/learners/{amina.id}/record.pdf", headers=BOTH)
    assert pdf.mimetype == "application/pdf" and "Content-Encoding" not in pdf.headers
    with client.get("/records/events.csv", headers=BOTH, buffered=False) as csv:
        assert csv.is_streamed and csv.mimetype == "text/csv"
        assert "Content-Encoding" not in csv.headers and "Content-Length" not in csv.headers
        assert b"".join(csv.response).startswith("\ufeff".encode())


def test_a_private_page_keeps_its_headers_when_compressed(client, make_user) -> None:
    make_user("amina@example.org")
    login(client, "amina@example.org")
    response = client.get("/learning/dashboard", headers=BOTH)
    assert response.headers["Content-Encoding"] == "br"
    assert response.headers["Cache-Control"] == NO_STORE
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("came_from", "compressed"), [
    ("same-origin", True), ("none", True), (None, True),
    ("cross-site", False), ("same-site", False)])
def test_another_sites_navigation_is_answered_uncompressed(client, came_from,
                                                            compressed) -> None:
    """BREACH: a page that another site made the browser open carries no size to measure."""
    headers = dict(BOTH)
    if came_from:
        headers["Sec-Fetch-Site"] = came_from
    response = client.get("/auth/login", headers=headers)
    assert ("Content-Encoding" in response.headers) is compressed
    assert "Accept-Encoding" in response.headers["Vary"]
