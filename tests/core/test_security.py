"""CSRF protection on every POST, and error pages."""

import re

import pytest

from app.core.roles import Role
from tests.conftest import login


@pytest.fixture
def csrf_app(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app


def _csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "form has no CSRF token"
    return match.group(1)


def test_every_post_route_refuses_a_request_without_token(csrf_app, make_user) -> None:
    admin = make_user("boss@example.org", roles=(Role.ADMIN,))
    client = csrf_app.test_client()
    token = _csrf_token(client.get("/auth/login").get_data(as_text=True))
    assert client.post("/auth/login", data={"email": "boss@example.org",
                                            "password": "a long enough passphrase",
                                            "csrf_token": token}).status_code == 302
    # The one exemption: a mail client's one-click unsubscribe (RFC 8058), whose signed
    # token is the authority (tests/notifications/test_notify.py tries it).
    from app.extensions import csrf

    assert csrf._exempt_views == {"app.notifications.routes.unsubscribe"}
    post_rules = [rule for rule in csrf_app.url_map.iter_rules()
                  if "POST" in (rule.methods or ())
                  and rule.endpoint not in ("static", "notifications.unsubscribe")]
    assert len(post_rules) >= 6
    for rule in post_rules:
        url = rule.build({arg: admin.id for arg in rule.arguments})[1]
        response = client.post(url, data={"roles": ["learner"]})
        assert response.status_code == 400, f"{url} accepted a POST without CSRF token"
        assert "CSRF token is missing" in response.get_data(as_text=True)


def test_login_form_without_token_is_refused_and_with_token_works(csrf_app, make_user) -> None:
    make_user("amina@example.org")
    client = csrf_app.test_client()
    refused = login(client, "amina@example.org")
    assert refused.status_code == 400
    token = _csrf_token(client.get("/auth/login").get_data(as_text=True))
    response = client.post("/auth/login", data={"email": "amina@example.org",
                                                "password": "a long enough passphrase",
                                                "csrf_token": token})
    assert response.status_code == 302


def test_not_found_page(client) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page not found" in html and '<main id="main"' in html


def test_unexpected_errors_get_a_calm_500_page(make_app) -> None:
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.route("/fails")
    def boom() -> str:
        raise RuntimeError("boom")

    response = app.test_client().get("/fails")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert "boom" not in response.get_data(as_text=True)
