"""Which language a page is shown in: the profile's, else the browser's, else the site's;
the switcher on every page; the direction of the page."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.models import User
from app.config import ConfigError
from app.core.i18n import autonym, text_direction
from app.extensions import db
from tests.conftest import login


def _html_tag(client: FlaskClient, path: str = "/", **headers: str) -> str:
    html = client.get(path, headers=headers).get_data(as_text=True)
    return html[html.index("<html"):html.index(">", html.index("<html")) + 1]


def test_directions_and_names() -> None:
    assert text_direction("ar") == "rtl" and text_direction("ar-EG") == "rtl"
    assert text_direction("fr") == "ltr" and text_direction("ko") == "ltr"
    assert autonym("fr") == "Français" and autonym("ko") == "한국어"
    assert autonym("ar") == "العربية" and autonym("pt") == "Português"


def test_the_browser_language_is_used_when_nobody_chose(client: FlaskClient) -> None:
    assert _html_tag(client) == '<html lang="en" dir="ltr">'
    assert _html_tag(client, **{"Accept-Language": "fr-SN,fr;q=0.9"}) == \
        '<html lang="fr" dir="ltr">'
    assert _html_tag(client, **{"Accept-Language": "ar-EG"}) == '<html lang="ar" dir="rtl">'
    # A language TrainHub does not have falls through to the next the browser accepts.
    assert _html_tag(client, **{"Accept-Language": "sw, pt;q=0.5"}) == \
        '<html lang="pt" dir="ltr">'
    assert "Accueil" in client.get("/", headers={"Accept-Language": "fr"}).get_data(
        as_text=True)


def test_the_site_default_serves_a_browser_that_asks_for_none(make_app) -> None:
    client = make_app(DEFAULT_LOCALE="ko").test_client()
    assert _html_tag(client) == '<html lang="ko" dir="ltr">'
    assert _html_tag(client, **{"Accept-Language": "sw"}) == '<html lang="ko" dir="ltr">'


def test_an_unknown_site_default_refuses_to_start(make_app) -> None:
    with pytest.raises(ConfigError, match="DEFAULT_LOCALE"):
        make_app(DEFAULT_LOCALE="xx")


def test_the_switcher_is_on_every_page_and_keeps_a_visitors_choice(
        client: FlaskClient) -> None:
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'action="/auth/language"' in page and 'name="language"' in page
    assert 'value="/auth/login"' in page
    response = client.post("/auth/language", data={"language": "es", "next": "/auth/login"})
    assert response.status_code == 302 and response.location == "/auth/login"
    assert _html_tag(client, "/auth/login", **{"Accept-Language": "fr"}) == \
        '<html lang="es" dir="ltr">'


def test_the_switcher_refuses_other_hosts_and_unknown_languages(client: FlaskClient) -> None:
    response = client.post("/auth/language", data={"language": "es",
                                                   "next": "https://evil.example/"})
    assert response.location == "/"
    client.post("/auth/language", data={"language": "xx", "next": "/"})
    assert _html_tag(client) == '<html lang="es" dir="ltr">'


def test_a_learners_choice_is_kept_on_their_profile(app: Flask, client: FlaskClient,
                                                    make_user) -> None:
    amina = make_user("amina@example.org")
    login(client, "amina@example.org")
    client.post("/auth/language", data={"language": "ar", "next": "/"})
    db.session.expire_all()
    assert db.session.scalar(select(User.language).where(User.id == amina.id)) == "ar"
    # Still hers after logging out, and on another device, whatever its browser asks.
    client.post("/auth/logout")
    assert _html_tag(client) == '<html lang="ar" dir="rtl">'
    other = app.test_client()
    login(other, "amina@example.org")
    assert _html_tag(other, **{"Accept-Language": "ko"}) == '<html lang="ar" dir="rtl">'


def test_templates_translate_from_the_catalog_their_render_was_given(app: Flask) -> None:
    """The templates' `_()`, `ngettext()` and `pgettext()` read the catalog the context
    processor looked up once per render; a template rendered without the context processors
    falls back to Flask-Babel's lookup; a render inside `force_locale` (an e-mail in its
    recipient's language) is in that language."""
    from flask import render_template_string
    from flask_babel import force_locale

    from app.core.i18n import PAGE_TRANSLATIONS

    source = ("{{ _('Home') }}|{{ ngettext('%(num)d day', '%(num)d days', 3) }}"
              "|{{ pgettext('nav', 'Home') }}")
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        page = render_template_string(f"{source}|{{{{ {PAGE_TRANSLATIONS} is defined }}}}")
        assert page.startswith("Accueil|") and page.endswith("|True")
        bare = app.jinja_env.from_string(source).render()
        assert bare.split("|")[0] == "Accueil" and bare == page.rsplit("|", 1)[0]
        with force_locale("es"):
            assert render_template_string("{{ _('Home') }}") == "Inicio"
        assert render_template_string("{{ _('Home') }}") == "Accueil"
