"""The read side of the call pages: each list in a fixed number of statements, whatever the
number of calls and applications, read by the columns' names."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from app.calls.models import Application, Call
from app.centres.models import Centre
from app.centres.scope import in_centres
from app.extensions import db
from app.intakes.models import Intake

# A closed call stays on the public list, marked closed, this long after its deadline.
RECENTLY_CLOSED = timedelta(days=30)

_LISTED = (Call.id, Call.code, Call.title, Call.kind, Call.status, Call.opens_at,
           Call.closes_at, Call.timezone, Call.places, Call.centre_id,
           Centre.name.label("centre_name"), Intake.title.label("intake_title"))


def officer_calls(ids: frozenset[int] | None) -> list[Any]:
    """The calls of the centres `ids` (None: every centre), newest deadline first."""
    return list(db.session.execute(
        select(*_LISTED).join(Centre, Centre.id == Call.centre_id)
        .outerjoin(Intake, Intake.id == Call.intake_id)
        .where(in_centres(Call.centre_id, ids))
        .order_by(Call.closes_at.desc(), Call.id.desc())).mappings())


def state_counts(call_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """How many applications each call has in each state: one statement."""
    chosen = sorted(set(call_ids))
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if not chosen:
        return counts
    for row in db.session.execute(
            select(Application.call_id, Application.state, func.count().label("n"))
            .where(Application.call_id.in_(chosen))
            .group_by(Application.call_id, Application.state)).mappings():
        counts[row["call_id"]][row["state"]] = row["n"]
    return counts


def public_calls(now: datetime) -> list[Any]:
    """Published calls open now or opening later, and those closed in the last 30 days:
    open ones first by deadline, then the upcoming, then the recently closed."""
    return list(db.session.execute(
        select(*_LISTED).join(Centre, Centre.id == Call.centre_id)
        .outerjoin(Intake, Intake.id == Call.intake_id)
        .where(Call.status.in_(("published", "decided")),
               Call.closes_at > now - RECENTLY_CLOSED)
        .order_by(Call.closes_at <= now, Call.opens_at > now, Call.closes_at, Call.id)
    ).mappings())


def officer_centres(ids: frozenset[int] | None, *, hub_only: bool = False) -> list[Centre]:
    query = select(Centre).where(in_centres(Centre.id, ids)).order_by(Centre.name)
    if hub_only:
        query = query.where(Centre.is_hub.is_(True))
    return list(db.session.scalars(query))


def centre_intakes(centre_ids: Iterable[int]) -> list[Any]:
    """The intakes of these centres, by centre and start: the call form's choices."""
    chosen = sorted(set(centre_ids))
    return list(db.session.execute(
        select(Intake.id, Intake.title, Intake.code, Intake.centre_id,
               Centre.name.label("centre_name"))
        .join(Centre, Centre.id == Intake.centre_id)
        .where(Intake.centre_id.in_(chosen)).order_by(Centre.name, Intake.starts_on.desc()))
        .mappings())


def call_with_places(call_id: int) -> Any:
    """A call with its centre's and intake's names, for its pages; None if there is none."""
    return db.session.execute(
        select(Call, Centre.name.label("centre_name"), Intake.title.label("intake_title"))
        .join(Centre, Centre.id == Call.centre_id)
        .outerjoin(Intake, Intake.id == Call.intake_id)
        .where(Call.id == call_id)).first()


def hub_id() -> int | None:
    """The hub's id, if there is a hub yet."""
    return db.session.scalar(select(Centre.id).where(Centre.is_hub.is_(True)))
