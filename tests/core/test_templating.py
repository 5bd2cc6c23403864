"""Template helpers that pages call on every request: site paths as links, the CSRF field."""

from __future__ import annotations

import re

from flask import session, url_for
from flask_wtf.csrf import validate_csrf

from app.core.forms import csrf_field
from app.core.urls import site_url


def test_a_site_path_becomes_a_link_under_the_script_root(app) -> None:
    with app.test_request_context("/"):
        assert site_url("/catalog/gxp/") == url_for("catalog.course", course_slug="gxp")
    with app.test_request_context("/", base_url="http://localhost/trainhub/"):
        assert site_url("/catalog/gxp/") == "/trainhub/catalog/gxp/" == \
            url_for("catalog.course", course_slug="gxp")


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
        again = csrf_field()
        assert again == csrf_field()  # signed once per request, whatever the buttons
        later = re.search(r'value="([^"]+)"', again)
        assert later is not None
        validate_csrf(later.group(1))
    with app.test_request_context("/"):
        assert csrf_field() != first  # another browser: its own token
