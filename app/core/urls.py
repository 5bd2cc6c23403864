"""URL helpers."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request

from app.core.converters import LARGEST_ID


def query_int(name: str, default: int | None = None, *, maximum: int = LARGEST_ID
              ) -> int | None:
    """An integer from the query string, `default` when absent or not a number. One beyond
    what the database (or the page, through `maximum`) can take is no page at all: 404,
    as for `<int:...>` in the path, rather than a database error."""
    value = request.args.get(name, type=int)
    if value is None:
        return default
    if abs(value) > maximum:
        abort(404)
    return value


def page_number(per_page: int) -> int:
    """The `page` of a paginated listing, such that its offset fits the database."""
    return query_int("page", 1, maximum=LARGEST_ID // per_page) or 1


def safe_local_target(target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site, else `fallback`: never redirect to another host."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return fallback


def site_url(path: str) -> str:
    """A path below the site's root, such as an outline keeps for its pages, as a link of
    this request: under the script root the site is served at. A template filter."""
    return request.script_root + path


def fixed_paths(app: Flask) -> dict[str, str]:
    """The path below the site root of every endpoint whose address takes no values, built
    once when the app is made: the page header's links are the same on every page, and
    building them with `url_for` cost about 6% of a lesson page (docs/performance.md)."""
    adapter = app.url_map.bind("")
    return {rule.endpoint: adapter.build(rule.endpoint)
            for rule in app.url_map.iter_rules() if not rule.arguments}


def fixed_link(endpoint: str) -> str:
    """The link of this request to an endpoint that takes no values (`fixed_paths`), as
    `url_for` would build it. A template global; an endpoint with values is an error here,
    not a silent fallback, so that a template says which it means."""
    return request.script_root + current_app.extensions["trainhub.fixed_paths"][endpoint]
