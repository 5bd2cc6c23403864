"""URL helpers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, request, url_for


def safe_local_target(target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site, else `fallback`: never redirect to another host."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return fallback


# Built URLs are kept per app (so per worker): (script root, endpoint, arguments) -> URL. A
# page's links are the same for every request under one script root, and building one costs
# more than the rest of its rendering. Bounded: links that carry free text (?next=...) must
# not grow it forever.
_BUILT_LIMIT = 20_000


def remembered_url_for(endpoint: str, **values: Any) -> str:
    """`url_for` for templates, built once per worker. Relative endpoints and the special
    `_external`, `_anchor`, `_method` and `_scheme` arguments go to `url_for` every time."""
    if endpoint.startswith(".") or any(name.startswith("_") for name in values):
        return url_for(endpoint, **values)
    built: dict[tuple[Any, ...], str] = current_app.extensions.setdefault("trainhub.urls", {})
    try:
        key = (request.script_root, endpoint, *sorted(values.items()))
        found = built.get(key)
    except TypeError:  # an unhashable argument (a list for a repeated query parameter)
        return url_for(endpoint, **values)
    if found is None:
        found = url_for(endpoint, **values)
        if len(built) >= _BUILT_LIMIT:
            built.clear()
        built[key] = found
    return found
