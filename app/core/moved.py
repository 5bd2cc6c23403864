"""Addresses that moved: an old URL answers with a redirect to the page that took its place.

Each feature lists its old rules in its `init_app`, next to the blueprint that now serves
them: `redirect_moved(app, {"/courses/": "catalog.index"})`. The old rule takes the same
variables as the new one, and the methods the new page takes. A GET (and HEAD) answers 301,
so that browsers and bookmarks learn the new address; any other method answers 308, which
keeps the method and the body, so that a form opened before the move (its CSRF token with
it) still reaches its page. The query string is kept.

The redirect reads nothing but the URL: whatever object the old address names, and whether
it exists or not, it answers alike, so it tells no more than the new address does. Printed
links (the QR code of a certificate) must keep working for good: these rules are never
removed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, redirect, request, url_for
from werkzeug.wrappers import Response

from app.core.registry import Registry

# Old rule -> the endpoint that serves it now. One endpoint answers every old rule.
MOVED: Registry[str] = Registry("moved addresses")
ENDPOINT = "moved"
_IMPLIED = frozenset({"HEAD", "OPTIONS"})


def redirect_moved(app: Flask, table: Mapping[str, str]) -> None:
    """Answer each old rule of `table` with a redirect to its endpoint (registered already)."""
    for old_rule, endpoint in table.items():
        rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint]
        if not rules:
            raise ValueError(f"{old_rule!r} moves to {endpoint!r}, which has no route")
        MOVED.register(app, old_rule, endpoint)
        methods = sorted({m for rule in rules for m in rule.methods or ()} - _IMPLIED)
        app.add_url_rule(old_rule, ENDPOINT, _moved, methods=methods)


def _moved(**values: Any) -> Response:
    assert request.url_rule is not None
    target = url_for(MOVED.get(request.url_rule.rule), **values)
    query = request.query_string.decode("latin-1")
    code = 301 if request.method in ("GET", "HEAD") else 308
    return redirect(f"{target}?{query}" if query else target, code=code)
