"""Catalog and course pages."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request
from flask_login import current_user, login_required

from app.catalog import bp
from app.catalog.queries import (
    CatalogFilter,
    catalog,
    catalog_centres,
    catalog_options,
    in_versions,
)
from app.centres.catalogue import in_catalogue
from app.centres.models import Centre
from app.centres.queries import centre_or_404
from app.centres.theme import theme_for
from app.classroom.queries import sessions_coming_up
from app.core.auth import authorize_or_403, can
from app.core.db import autocommit_reads
from app.core.errors import found_or_404
from app.core.time import now
from app.learning.panels import staff_links
from app.learning.queries import CourseView, course_titles, course_view
from app.learning.rules import State
from app.learning.versions import VersionLink, listed_version, other_versions, shown_version


def _viewer() -> Any:
    return current_user if current_user.is_authenticated else None


def _centre() -> Centre | None:
    """The centre whose catalogue the reader browses (`?centre=CODE`), or None: all courses.
    An unknown or inactive centre is not found."""
    code = request.args.get("centre", "").strip()
    if not code:
        return None
    centre = centre_or_404(code)
    if not centre.active:
        abort(404)
    return centre


@bp.route("/")
@autocommit_reads
def index() -> str:
    filters = CatalogFilter(**{key: request.args.get(key, "").strip() for key in (
        "text", "modality", "level", "language", "tag", "centre")})
    centre = _centre()
    viewer = _viewer()
    cards = catalog(filters, viewer.id if viewer else None, centre.id if centre else None)
    in_versions(cards, {card.course.id: listed_version(card.course.slug, card.course.language,
                                                       card.course.languages)
                        for card in cards if card.course.languages})
    return render_template("catalog/index.html", cards=cards, filters=filters,
                           options=catalog_options(), centres=catalog_centres(),
                           centre=centre, centre_theme=theme_for(centre) if centre else None)


def _view_or_404(course_slug: str) -> CourseView:
    return found_or_404(course_view(course_slug, _viewer()))


def _in_version(view: CourseView) -> CourseView:
    """The course page in the language version the reader is shown, when the course has its
    landing page (course.LANG.md) in that language; else in the course's own."""
    translated = view.in_language(shown_version(view.course, view.course.languages))
    return translated if translated.course.translated_landing else view


@bp.route("/<course_slug>/")
@autocommit_reads
def course(course_slug: str) -> str:
    view = _in_version(_view_or_404(course_slug))
    # Reached through a centre's catalogue: enrolling there records that centre.
    centre = _centre()
    if centre is not None and not in_catalogue(centre.id, view.course.id):
        abort(404)
    # The course's staff and administrators: the same people "Manage course" lets in.
    staff = bool(_viewer()) and can(current_user, "course.preview", view)
    # Live sessions are offered only where some are coming up: one statement, and only for a
    # course with live modules.
    coming = sessions_coming_up(view.course.id, now()) \
        if any(module.session for module in view.modules) else 0
    return render_template("catalog/course.html", view=view, State=State, staff=staff,
                           sessions_coming=coming,
                           titles=course_titles(view.course.prerequisites),
                           versions=_other_versions(view), centre=centre,
                           centre_theme=theme_for(centre) if centre else None)


def _other_versions(view: CourseView) -> list[VersionLink]:
    """Links to the course page in its other versions of course.md's landing page."""
    course = view.course
    return other_versions(course.languages, course.language, "catalog.course",
                          course_slug=course.slug)


@bp.route("/<course_slug>/manage")
@login_required
def manage(course_slug: str) -> str:
    """The course's staff pages that the viewer may open, each feature's own."""
    view = _view_or_404(course_slug)
    authorize_or_403("course.preview", view)
    return render_template("catalog/manage.html", view=view,
                           links=staff_links(view, current_user, now()))
