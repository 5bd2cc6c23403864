"""Read-side queries over the chain: a learner's training record, the event log."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, and_, or_, select

from app.extensions import db
from app.records.actions import KNOWN_ACTIONS
from app.records.directory import COURSE_NAMES, ENTRY_CENTRES, PEOPLE
from app.records.models import Event, manifestation

_events = Event.__table__
# Every change runs it, so it is built once (docs/performance.md). The chain's end is the
# highest seq (a unique index).
LAST_LINK = select(_events.c.seq, _events.c.hash, _events.c.key_id).order_by(
    _events.c.seq.desc()).limit(1)


@dataclass(frozen=True)
class RecordEntry:
    """One line of a training record, as it stands in the chain."""

    event_id: int
    occurred_at: datetime
    label: str
    course: str
    details: dict[str, Any]
    signature: str  # the manifestation, when the entry is a signature
    centre: str = ""  # the centre the learner took the course through ("" without a course)


def training_record(learner_id: int) -> list[RecordEntry]:
    """Everything on one learner's training record, in the order it happened, each entry
    with its course and the centre the learner took it through (one query)."""
    actions = [name for name, action in KNOWN_ACTIONS.items() if action.on_training_record]
    courses = COURSE_NAMES.get()()
    centres = ENTRY_CENTRES.get()()
    rows = db.session.execute(
        select(Event, courses.c.title, centres.c.name)
        .outerjoin(courses, courses.c.id == Event.course_id)
        .outerjoin(centres, and_(centres.c.course_id == Event.course_id,
                                 centres.c.user_id == Event.learner_id))
        .where(Event.learner_id == learner_id, Event.action.in_(actions))
        .order_by(Event.seq)
    ).all()
    # Manifestations come from the chained event itself, so what is shown is what verifies.
    return [RecordEntry(event.id, event.occurred_at, str(KNOWN_ACTIONS[event.action].label),
                        course_title or "", event.details,
                        manifestation(event.details.get("printed_name", ""), event.occurred_at,
                                      event.details.get("meaning", ""))
                        if event.action == "signature.signed" else "", centre or "")
            for event, course_title, centre in rows]


@dataclass(frozen=True)
class EventFilter:
    actor: str = ""
    action: str = ""
    course_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


def _filtered(filters: EventFilter) -> Select[Event]:
    statement = select(Event).order_by(Event.seq.desc())
    if filters.actor:
        pattern = f"%{filters.actor.strip().lower()}%"
        statement = statement.where(or_(
            Event.actor_name.ilike(pattern),
            Event.actor_id.in_(PEOPLE.get().ids_with_email_like(pattern))))
    if filters.action:
        # An action is found under every name it was written with.
        statement = statement.where(
            Event.action.in_(KNOWN_ACTIONS[filters.action].stored_names))
    if filters.course_id is not None:
        statement = statement.where(Event.course_id == filters.course_id)
    if filters.since is not None:
        statement = statement.where(Event.occurred_at >= filters.since)
    if filters.until is not None:
        statement = statement.where(Event.occurred_at < filters.until)
    return statement


def events_page(filters: EventFilter, page: int, per_page: int) -> Pagination:
    return db.paginate(_filtered(filters), page=page, per_page=per_page, error_out=False)


def events_stream(filters: EventFilter) -> Iterator[Event]:
    """All matching events, newest first, fetched in batches so memory stays flat."""
    yield from db.session.scalars(_filtered(filters).execution_options(yield_per=500))


def course_slugs() -> dict[int, str]:
    courses = COURSE_NAMES.get()()
    return {course_id: slug for course_id, slug in db.session.execute(
        select(courses.c.id, courses.c.slug))}


def course_choices() -> list[tuple[int, str]]:
    courses = COURSE_NAMES.get()()
    return [(course_id, title) for course_id, title in db.session.execute(
        select(courses.c.id, courses.c.title).order_by(courses.c.title))]
