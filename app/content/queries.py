"""Lookups of imported content that several features' pages share."""

from __future__ import annotations

from sqlalchemy import Subquery, select

from app.content.models import Course
from app.extensions import db


def course_or_404(course_slug: str) -> Course:
    course: Course = db.first_or_404(select(Course).where(Course.slug == course_slug))
    return course


def course_names() -> Subquery:
    """Every course's id, slug and title, for statements that name courses (records)."""
    return select(Course.id, Course.slug, Course.title).subquery("course_names")
