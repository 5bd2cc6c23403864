"""Read-side queries of reviewing: the officers' progress page of a call, a reviewer's list of
assignments and the page of one application under review. Each runs a fixed number of
statements whatever the number of applications, reviewers or scores."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, func, select

from app.auth.models import User
from app.calls.models import (
    DECIDED_STATES,
    Application,
    ApplicationFile,
    Call,
    CallReviewer,
    ReviewAssignment,
    ReviewScore,
)
from app.core.paging import Paged
from app.extensions import db

# The applications on a call's progress page: handed in, and not taken back.
LISTED_STATES = ("submitted", *DECIDED_STATES)


@dataclass(frozen=True)
class ReviewerProgress:
    user_id: int
    name: str
    email: str
    organisation: str
    assigned: int  # held without a conflict
    scored: int
    conflicts: int

    @property
    def to_score(self) -> int:
        return self.assigned - self.scored


@dataclass(frozen=True)
class HeldBy:
    """One assignment of an application on the progress page."""

    assignment_id: int
    reviewer_id: int
    reviewer_name: str
    scored_at: datetime | None
    conflict_at: datetime | None
    conflict_reason: str


@dataclass(frozen=True)
class ApplicationProgress:
    application_id: int
    applicant_id: int
    name: str
    organisation: str
    country: str | None
    state: str
    assigned: int
    scored: int
    conflicts: int
    needed: int
    held: tuple[HeldBy, ...] = ()

    @property
    def short(self) -> int:
        return max(0, self.needed - self.assigned) if self.state == "submitted" else 0


@dataclass(frozen=True)
class Page(Paged):
    """A page of rows, with what `macros.pager` reads."""

    items: list[Any]
    page: int
    per_page: int
    total: int


@dataclass(frozen=True)
class CallProgress:
    reviewers: list[ReviewerProgress]
    applications: Page
    listed: int  # applications handed in
    short: int  # submitted applications short of reviewers
    unassigned: int  # submitted applications with no reviewer at all
    scored: int  # applications with every reviewer's score


def _active() -> Any:
    return ReviewAssignment.conflict_at.is_(None)


def _count_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _reviewer_progress(call: Call) -> list[ReviewerProgress]:
    in_call = select(Application.id).where(Application.call_id == call.id,
                                           Application.state.in_(LISTED_STATES))
    rows = db.session.execute(
        select(User.id, User.name, User.email, User.organisation,
               _count_if(and_(ReviewAssignment.id.is_not(None), _active())).label("assigned"),
               _count_if(and_(_active(), ReviewAssignment.scored_at.is_not(None)))
               .label("scored"),
               _count_if(ReviewAssignment.conflict_at.is_not(None)).label("conflicts"))
        .join(CallReviewer, CallReviewer.user_id == User.id)
        .outerjoin(ReviewAssignment, and_(ReviewAssignment.reviewer_id == User.id,
                                          ReviewAssignment.application_id.in_(in_call)))
        .where(CallReviewer.call_id == call.id)
        .group_by(User.id, User.name, User.email, User.organisation)
        .order_by(User.name, User.id))
    return [ReviewerProgress(row.id, row.name, row.email, row.organisation or "",
                             int(row.assigned), int(row.scored), int(row.conflicts))
            for row in rows]


def _counted(call: Call) -> Any:
    """Each listed application of the call with its assignments counted."""
    return (select(Application.id.label("application_id"), Application.state,
                   _count_if(and_(ReviewAssignment.id.is_not(None), _active()))
                   .label("assigned"),
                   _count_if(and_(_active(), ReviewAssignment.scored_at.is_not(None)))
                   .label("scored"),
                   _count_if(ReviewAssignment.conflict_at.is_not(None)).label("conflicts"))
            .outerjoin(ReviewAssignment, ReviewAssignment.application_id == Application.id)
            .where(Application.call_id == call.id, Application.state.in_(LISTED_STATES))
            .group_by(Application.id, Application.state)
            .subquery())


def _short_condition(counted: Any, needed: int) -> Any:
    return and_(counted.c.state == "submitted", counted.c.assigned < needed)


def call_progress(call: Call, page: int, per_page: int, *, only_short: bool = False
                  ) -> CallProgress:
    """Per reviewer (assigned, scored, conflicts) and per application (assigned, scored,
    needed, who holds it), a page of applications at a time: four statements."""
    needed = call.reviews_per_application
    counted = _counted(call)
    totals = db.session.execute(select(
        func.count().label("listed"),
        _count_if(_short_condition(counted, needed)).label("short"),
        _count_if(and_(counted.c.state == "submitted", counted.c.assigned == 0))
        .label("unassigned"),
        _count_if(and_(counted.c.assigned > 0, counted.c.scored == counted.c.assigned))
        .label("scored")).select_from(counted)).one()
    query: Select[Any] = (
        select(counted, Application.applicant_id, User.name, Application.organisation,
               Application.nationality)
        .join(Application, Application.id == counted.c.application_id)
        .join(User, User.id == Application.applicant_id))
    if only_short:
        query = query.where(_short_condition(counted, needed))
    total = int(totals.short) if only_short else int(totals.listed)
    rows = db.session.execute(query.order_by(counted.c.application_id)
                              .limit(per_page).offset((page - 1) * per_page)).all()
    held = _held_by([row.application_id for row in rows])
    items = [ApplicationProgress(
        row.application_id, row.applicant_id, row.name, row.organisation or "",
        row.nationality, row.state,
        int(row.assigned), int(row.scored), int(row.conflicts), needed,
        tuple(held.get(row.application_id, ()))) for row in rows]
    return CallProgress(_reviewer_progress(call), Page(items, page, per_page, total),
                        int(totals.listed), int(totals.short), int(totals.unassigned),
                        int(totals.scored))


def _held_by(application_ids: list[int]) -> dict[int, list[HeldBy]]:
    if not application_ids:
        return {}
    held: dict[int, list[HeldBy]] = {}
    for row in db.session.execute(
            select(ReviewAssignment.id, ReviewAssignment.application_id,
                   ReviewAssignment.reviewer_id, User.name, ReviewAssignment.scored_at,
                   ReviewAssignment.conflict_at, ReviewAssignment.conflict_reason)
            .join(User, User.id == ReviewAssignment.reviewer_id)
            .where(ReviewAssignment.application_id.in_(application_ids))
            .order_by(ReviewAssignment.application_id, User.name, ReviewAssignment.id)):
        held.setdefault(row.application_id, []).append(HeldBy(
            row.id, row.reviewer_id, row.name, row.scored_at, row.conflict_at,
            row.conflict_reason))
    return held


# --- a reviewer's assignments ---------------------------------------------------------------

@dataclass(frozen=True)
class MyReview:
    application_id: int
    label: str  # the applicant's name, or "" under blind review (the page says "Applicant n")
    status: str  # to_score, scored, conflict or withdrawn
    assigned_at: datetime
    scored_at: datetime | None


@dataclass(frozen=True)
class MyCall:
    call_id: int
    title: str
    closes_at: datetime
    timezone: str
    status: str
    blind: bool
    reviews: list[MyReview]

    def count(self, status: str) -> int:
        return sum(1 for review in self.reviews if review.status == status)


def _status(state: str, scored_at: datetime | None, conflict_at: datetime | None) -> str:
    if state == "withdrawn":
        return "withdrawn"
    if conflict_at is not None:
        return "conflict"
    return "scored" if scored_at is not None else "to_score"


ORDER = {"to_score": 0, "scored": 1, "conflict": 2, "withdrawn": 3}


def my_reviews(reviewer_id: int) -> list[MyCall]:
    """Every application the reviewer was assigned, grouped by call, the calls still open
    for review first: one statement."""
    calls: dict[int, MyCall] = {}
    for row in db.session.execute(
            select(ReviewAssignment.application_id, ReviewAssignment.assigned_at,
                   ReviewAssignment.scored_at, ReviewAssignment.conflict_at,
                   Call.id.label("call_id"), Call.title, Call.closes_at, Call.timezone,
                   Call.status, Call.blind_review, User.name, Application.state)
            .join(Application, Application.id == ReviewAssignment.application_id)
            .join(Call, Call.id == Application.call_id)
            .join(User, User.id == Application.applicant_id)
            .where(ReviewAssignment.reviewer_id == reviewer_id)
            .order_by(Call.status == "decided", Call.closes_at, Call.id,
                      ReviewAssignment.application_id)):
        group = calls.setdefault(row.call_id, MyCall(
            row.call_id, row.title, row.closes_at, row.timezone, row.status,
            row.blind_review, []))
        group.reviews.append(MyReview(row.application_id, "" if row.blind_review else row.name,
                                      _status(row.state, row.scored_at, row.conflict_at),
                                      row.assigned_at, row.scored_at))
    for group in calls.values():
        group.reviews.sort(key=lambda review: (ORDER[review.status], review.application_id))
    return list(calls.values())


def waiting_by_call(reviewer_id: int) -> list[tuple[int, str, int]]:
    """(call id, title, applications to score) for the calls not decided yet where the
    reviewer has some left: one statement (the dashboard's panel)."""
    return [(row.id, row.title, int(row.waiting)) for row in db.session.execute(
        select(Call.id, Call.title, func.count().label("waiting"))
        .join(Application, Application.call_id == Call.id)
        .join(ReviewAssignment, ReviewAssignment.application_id == Application.id)
        .where(ReviewAssignment.reviewer_id == reviewer_id, _active(),
               ReviewAssignment.scored_at.is_(None), Call.status != "decided",
               Application.state == "submitted")
        .group_by(Call.id, Call.title).order_by(Call.id))]


# --- one application under review -----------------------------------------------------------

@dataclass(frozen=True)
class Document:
    field_key: str
    filename: str
    size: int
    pages: int


@dataclass(frozen=True)
class ShownScore:
    reviewer_id: int
    reviewer_name: str
    points: dict[str, int]
    total: int
    comment: str
    scored_at: datetime
    revisions: int  # how many scores this reviewer gave: the earlier ones are kept


@dataclass(frozen=True)
class ReviewFacts:
    applicant_name: str
    applicant_email: str
    documents: dict[str, Document]
    own: ReviewAssignment | None  # the viewer's assignment (with or without a conflict)
    scores: list[ShownScore]  # each reviewer's latest, by name

    def latest_of(self, reviewer_id: int) -> ShownScore | None:
        return next((s for s in self.scores if s.reviewer_id == reviewer_id), None)


def review_facts(application: Application, viewer_id: int) -> ReviewFacts:
    """What the review page reads besides the application and its call: four statements."""
    applicant = db.session.execute(select(User.name, User.email)
                                   .where(User.id == application.applicant_id)).one()
    documents = {row.field_key: Document(row.field_key, row.filename, row.size, row.pages)
                 for row in db.session.execute(
                     select(ApplicationFile.field_key, ApplicationFile.filename,
                            ApplicationFile.size, ApplicationFile.pages)
                     .where(ApplicationFile.application_id == application.id))}
    own = db.session.scalar(select(ReviewAssignment).where(
        ReviewAssignment.application_id == application.id,
        ReviewAssignment.reviewer_id == viewer_id))
    latest: dict[int, ShownScore] = {}
    counts: dict[int, int] = {}
    for row in db.session.execute(
            select(ReviewScore.reviewer_id, User.name, ReviewScore.points, ReviewScore.total,
                   ReviewScore.comment, ReviewScore.scored_at)
            .join(User, User.id == ReviewScore.reviewer_id)
            .where(ReviewScore.application_id == application.id)
            .order_by(ReviewScore.id)):
        counts[row.reviewer_id] = counts.get(row.reviewer_id, 0) + 1
        latest[row.reviewer_id] = ShownScore(row.reviewer_id, row.name, dict(row.points),
                                             row.total, row.comment, row.scored_at,
                                             counts[row.reviewer_id])
    scores = sorted(latest.values(), key=lambda s: (s.reviewer_name, s.reviewer_id))
    return ReviewFacts(applicant.name, applicant.email, documents, own, scores)

