"""URL helpers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import abort, request, url_for

from app.core.converters import LARGEST_ID
from app.core.memo import kept


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


def remembered_url_for(endpoint: str, **values: Any) -> str:
    """`url_for` for templates, built once per worker: a page's links are the same for every
    request under one script root, and building one costs more than the rest of its
    rendering. Relative endpoints and the special `_external`, `_anchor`, `_method` and
    `_scheme` arguments go to `url_for` every time, and so do unhashable arguments (a list
    for a repeated query parameter). Links carrying free text (?next=...) cannot grow the
    store for ever: it is bounded."""
    if endpoint.startswith(".") or any(name.startswith("_") for name in values):
        return url_for(endpoint, **values)
    key = (request.script_root, endpoint, *sorted(values.items()))
    try:
        hash(key)
    except TypeError:
        return url_for(endpoint, **values)
    return kept("urls", key, lambda: url_for(endpoint, **values), limit=20_000)
