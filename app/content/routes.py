"""Course media (images, PDFs), served from the database with their content hash in the URL."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.content import bp
from app.content.models import Course, CourseMedia
from app.extensions import db, limiter

ONE_YEAR = 365 * 24 * 3600


@bp.route("/media/<course_slug>/<digest>/<path:name>")
@limiter.exempt
def media(course_slug: str, digest: str, name: str) -> Response:
    row = db.session.execute(
        select(CourseMedia.sha256, CourseMedia.content_type, CourseMedia.data)
        .join(Course, Course.id == CourseMedia.course_id)
        .where(Course.slug == course_slug, CourseMedia.name == name)
    ).one_or_none()
    if row is None or len(digest) < 16 or not row.sha256.startswith(digest):
        abort(404)
    response = media_response(row.data, row.content_type)
    # The URL changes whenever the file does, so browsers may keep it for good.
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    response.set_etag(row.sha256)
    return response


def media_response(data: bytes, content_type: str) -> Response:
    """A course's media file as served to browsers, published or in a draft."""
    response = Response(data, mimetype=content_type)
    # An SVG opened on its own runs no script and loads nothing.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
    return response
