"""Catalog listing: three statements whatever the number of courses."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, or_, select

from app.content.models import Course, Module
from app.extensions import db
from app.learning.models import Enrolment


@dataclass(frozen=True)
class CatalogFilter:
    text: str = ""
    modality: str = ""
    level: str = ""
    language: str = ""
    tag: str = ""


@dataclass
class CatalogCard:
    course: Course
    modules: int = 0
    minutes: int = 0
    modalities: set[str] = field(default_factory=set)
    enrolment_status: str | None = None


def catalog(filters: CatalogFilter, viewer_id: int | None) -> list[CatalogCard]:
    statement = select(Course).order_by(Course.title)
    if filters.text:
        pattern = f"%{filters.text.strip().lower()}%"
        statement = statement.where(or_(func.lower(Course.title).like(pattern),
                                        func.lower(Course.summary).like(pattern)))
    if filters.level:
        statement = statement.where(Course.level == filters.level)
    if filters.language:
        statement = statement.where(Course.language == filters.language)
    cards = {course.id: CatalogCard(course) for course in db.session.scalars(statement)}
    if cards:
        for course_id, modality, count, minutes in db.session.execute(
                select(Module.course_id, Module.modality, func.count(),
                       func.coalesce(func.sum(Module.duration_minutes), 0))
                .where(Module.course_id.in_(list(cards)), Module.archived_at.is_(None))
                .group_by(Module.course_id, Module.modality)):
            card = cards[course_id]
            card.modules += count
            card.minutes += int(minutes or 0)
            card.modalities.add(modality)
        if viewer_id is not None:
            for course_id, status in db.session.execute(
                    select(Enrolment.course_id, Enrolment.status).where(
                        Enrolment.user_id == viewer_id, Enrolment.course_id.in_(list(cards)))):
                cards[course_id].enrolment_status = status
    # Tags live in a JSON list and modalities in modules: filtered here, on few rows.
    return [card for card in cards.values()
            if (not filters.tag or filters.tag in card.course.tags)
            and (not filters.modality or filters.modality in card.modalities)]


def catalog_options() -> dict[str, list[str]]:
    """Values offered in the filters: one statement."""
    rows = db.session.execute(select(Course.level, Course.language, Course.tags)).all()
    return {
        "level": sorted({r.level for r in rows if r.level}),
        "language": sorted({r.language for r in rows}),
        "tag": sorted({t for r in rows for t in r.tags}),
        "modality": ["virtual", "classroom", "hands-on"],
    }
