"""Catalog and course pages."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request
from flask_login import current_user

from app.catalog import bp
from app.catalog.queries import CatalogFilter, catalog, catalog_options
from app.core.auth import can
from app.core.db import autocommit_reads
from app.learning.queries import course_view
from app.learning.rules import State


def _viewer() -> Any:
    return current_user if current_user.is_authenticated else None


@bp.route("/")
@autocommit_reads
def index() -> str:
    filters = CatalogFilter(**{key: request.args.get(key, "").strip()
                               for key in ("text", "modality", "level", "language", "tag")})
    viewer = _viewer()
    cards = catalog(filters, viewer.id if viewer else None)
    return render_template("catalog/index.html", cards=cards, filters=filters,
                           options=catalog_options())


@bp.route("/<course_slug>/")
@autocommit_reads
def course(course_slug: str) -> str:
    view = course_view(course_slug, _viewer())
    if view is None:
        abort(404)
    may_manage = bool(_viewer()) and can(current_user, "course.manage", view)
    return render_template("catalog/course.html", view=view, State=State,
                           may_manage=may_manage)
