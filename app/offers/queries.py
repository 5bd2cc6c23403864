"""The offers' read-side statements: a call's places and waitlist as quota candidates, the
letters still owed, and the officers' list. Each reads rows by name, a fixed number of
statements whatever the call's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, exists, func, select

from app.auth.models import User
from app.calls.models import Application, Call
from app.calls.quotas import Candidate
from app.extensions import db
from app.offers.models import OfferLetter
from app.offers.rules import HOLDING, LETTER_OF
from app.records.models import Event

# The letter each state is owed while the letter can still matter (an applicant who has
# answered already saw their offer page).
OWED = {state: LETTER_OF[state] for state in ("accepted", "waitlisted", "regretted")}
CENTRE_CREATED = "offer.centre_created"


def lock_call(call_id: int) -> Call:
    """The call, its row locked for this transaction (PostgreSQL; SQLite's writers are
    serialized by BEGIN IMMEDIATE): whoever fills its places does so one at a time, and
    reads what the one before committed."""
    return db.session.scalars(select(Call).where(Call.id == call_id).with_for_update()
                              .execution_options(populate_existing=True)).one()


def _candidate(row: Any) -> Candidate:
    return Candidate(row.id, row.nationality, row.organisation or "", row.gender)


def places_and_waitlist(call_id: int) -> tuple[list[Candidate], list[Candidate]]:
    """Those who hold a place (accepted, confirmed) and the waitlist in rank order."""
    rows = db.session.execute(
        select(Application.id, Application.state, Application.nationality,
               Application.organisation, Application.gender)
        .where(Application.call_id == call_id,
               Application.state.in_((*HOLDING, "waitlisted")))
        .order_by(Application.waitlist_rank, Application.id)).all()
    holding = [_candidate(row) for row in rows if row.state in HOLDING]
    return holding, [_candidate(row) for row in rows if row.state == "waitlisted"]


def letters_owed(limit: int) -> list[int]:
    """Applications of decided calls whose decision letter was not queued yet, locked for
    this worker (another worker skips them)."""
    owed = case(OWED, value=Application.state)
    return list(db.session.scalars(
        select(Application.id).join(Call, Call.id == Application.call_id)
        .where(Call.status == "decided", Application.state.in_(tuple(OWED)),
               ~exists().where(OfferLetter.application_id == Application.id,
                               OfferLetter.kind == owed))
        .order_by(Application.id).limit(limit)
        .with_for_update(skip_locked=True, of=Application)))


def applications_with_applicants(ids: list[int]) -> list[tuple[Application, User]]:
    return [(a, u) for a, u in db.session.execute(
        select(Application, User).join(User, User.id == Application.applicant_id)
        .where(Application.id.in_(ids)).order_by(Application.id)).all()]


def overdue_calls(now: datetime) -> list[int]:
    return list(db.session.scalars(
        select(Application.call_id).where(Application.state == "accepted",
                                          Application.respond_by <= now).distinct()))


def place_in_line(application: Application) -> int | None:
    """Where a waitlisted applicant stands now: 1 is next."""
    if application.state != "waitlisted" or application.waitlist_rank is None:
        return None
    ahead = db.session.scalar(select(func.count()).where(
        Application.call_id == application.call_id, Application.state == "waitlisted",
        Application.waitlist_rank < application.waitlist_rank))
    return int(ahead or 0) + 1


@dataclass(frozen=True)
class OfferLine:
    application_id: int
    name: str
    email: str
    nationality: str | None
    organisation: str
    state: str
    respond_by: datetime | None
    answered_at: datetime | None
    waitlist_rank: int | None


def offer_lines(call_id: int) -> list[OfferLine]:
    """Everyone offered a place or waiting for one, for the officers: one statement."""
    rows = db.session.execute(
        select(Application.id.label("application_id"), User.name, User.email,
               Application.nationality, Application.organisation, Application.state,
               Application.respond_by, Application.answered_at, Application.waitlist_rank)
        .join(User, User.id == Application.applicant_id)
        .where(Application.call_id == call_id, Application.state.in_(
            ("accepted", "confirmed", "declined", "lapsed", "waitlisted")))
        .order_by(Application.waitlist_rank, Application.respond_by, User.name)).mappings()
    return [OfferLine(**row) for row in rows]


def centre_created(application_id: int) -> str | None:
    """The code of the centre created from this application, if one was."""
    details = db.session.scalar(select(Event.details).where(and_(
        Event.action == CENTRE_CREATED, Event.subject_type == "application",
        Event.subject_id == str(application_id))).limit(1))
    return str(details["centre"]) if details else None
