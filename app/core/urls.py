"""URL helpers."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, request

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
