"""Template helpers that pages call on every request: built links and the CSRF field."""

from __future__ import annotations

import re
from typing import Any

from flask import session, url_for
from flask_wtf.csrf import validate_csrf

from app.core.forms import csrf_field
from app.core.urls import remembered_url_for


def test_remembered_links_are_the_links_url_for_builds(app) -> None:
    links: list[tuple[str, dict[str, Any]]] = [
        ("home.index", {}), ("static", {"filename": "style.css"}),
        ("auth.login", {"next": "/catalog/a b/"}), ("catalog.course", {"course_slug": "gxp"})]
    with app.test_request_context("/"):
        for endpoint, values in links:
            assert remembered_url_for(endpoint, **values) == url_for(endpoint, **values)
            assert remembered_url_for(endpoint, **values) == url_for(endpoint, **values)
        external = remembered_url_for("home.index", _external=True)
        assert external == "http://localhost/"
    # Under another script root the same endpoint is another link, never the remembered one.
    with app.test_request_context("/", base_url="http://localhost/trainhub/"):
        assert remembered_url_for("home.index") == "/trainhub/"
        assert remembered_url_for("static", filename="style.css") == \
            "/trainhub/static/style.css"


def test_the_csrf_field_carries_a_token_that_validates(make_app) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.test_request_context("/"):
        first = csrf_field()
        found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', first)
        assert found is not None
        token = found.group(1)
        validate_csrf(token)  # raises if it does not match the session's token
        raw = session["csrf_token"]
    with app.test_request_context("/"):
        session["csrf_token"] = raw  # the same browser on a later request
        assert csrf_field() == first  # signed once per worker
    with app.test_request_context("/"):
        assert csrf_field() != first  # another browser: its own token
