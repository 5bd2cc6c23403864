"""A centre's small theme: its colours as a stylesheet and its logo, each at an address
that carries the theme's version, so that browsers keep them for a year and a change of
theme is a new address. No inline style: the CSP forbids it (core/headers.py)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, abort, url_for
from sqlalchemy import select

from app.centres import bp
from app.centres.models import Centre
from app.centres.queries import theme_of
from app.extensions import db

YEAR = 365 * 24 * 3600

STYLESHEET = """/* The theme of {code}. */
:root {{ --brand: {primary}; --brand-dark: {primary}; --centre-primary: {primary};
  --centre-accent: {accent}; }}
.centre-band {{ background: {primary}; color: #fff; border-block-end: 4px solid {accent}; }}
.centre-band a {{ color: #fff; }}
.button, button.button {{ background: {primary}; border-color: {primary}; color: #fff; }}
"""


@dataclass(frozen=True)
class Theme:
    code: str
    name: str
    css_url: str
    logo_url: str | None


def theme_for(centre: Centre) -> Theme:
    """What a page of the centre links to: its stylesheet and logo (no statement)."""
    version = centre.theme_version or "0"
    return Theme(centre.code, centre.name,
                 url_for("centres.stylesheet", code=centre.code, version=version),
                 url_for("centres.logo", code=centre.code, version=version)
                 if centre.logo_type else None)


def _cached(response: Response) -> Response:
    response.cache_control.public = True
    response.cache_control.max_age = YEAR
    response.cache_control.immutable = True
    return response


@bp.route("/<code>/theme-<version>.css")
def stylesheet(code: str, version: str) -> Response:
    """Public: a centre's colours are on its public catalogue page."""
    row = db.session.execute(select(Centre.id).where(Centre.code == code)).first()
    theme = theme_of(row.id) if row else None
    if theme is None:
        abort(404)
    _code, current, primary, accent = theme
    if version != current:
        abort(404)  # an old version: the page links to the current one
    css = STYLESHEET.format(code=code, primary=primary, accent=accent)
    response = Response(css, mimetype="text/css")
    response.set_etag(current)
    return _cached(response)


@bp.route("/<code>/logo-<version>")
def logo(code: str, version: str) -> Response:
    row = db.session.execute(select(Centre.logo, Centre.logo_type, Centre.theme_version)
                             .where(Centre.code == code)).first()
    if row is None or row.logo is None or row.theme_version != version:
        abort(404)
    response = Response(row.logo, mimetype=row.logo_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.set_etag(version)
    return _cached(response)
