"""Lookups of imported content that several features' pages share."""

from __future__ import annotations

from flask import abort
from sqlalchemy import Subquery, select

from app.content.models import Course
from app.extensions import db


def course_or_404(course_slug: str) -> Course:
    course = db.session.scalar(select(Course).where(Course.slug == course_slug))
    if course is None:
        abort(404)
    return course


def course_names() -> Subquery:
    """Every course's id, slug and title, for statements that name courses (records)."""
    return select(Course.id, Course.slug, Course.title).subquery("course_names")
