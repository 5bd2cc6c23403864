"""The selection board's statements, prebuilt: a call's applications, its reviewers' latest
totals and its latest overrides, each one statement whatever the number of applications.
Rows are read by name."""

from __future__ import annotations

from sqlalchemy import and_, bindparam, func, select

from app.auth.models import User
from app.calls.models import (
    DECIDED_STATES,
    Application,
    ReviewAssignment,
    ReviewScore,
    SelectionOverride,
)

# On the board: handed in, and (once decided) every decided state.
BOARD_STATES = ("submitted", *DECIDED_STATES)

# A call's applications on the board, in order of submission (the ranking's tie order).
BOARD_APPLICATIONS = (
    select(Application.id, Application.state, Application.nationality,
           Application.organisation, Application.gender, Application.eligible,
           Application.ineligible_reasons, Application.submitted_at,
           Application.waitlist_rank, User.name.label("applicant_name"))
    .join(User, User.id == Application.applicant_id)
    .where(Application.call_id == bindparam("call_id"),
           Application.state.in_(BOARD_STATES))
    .order_by(Application.submitted_at, Application.id))

# The latest score of each reviewer of each application of the call (the highest id), left
# out when the reviewer later declared a conflict of interest with the application.
_LATEST = (
    select(func.max(ReviewScore.id).label("id"))
    .join(Application, Application.id == ReviewScore.application_id)
    .where(Application.call_id == bindparam("call_id"))
    .group_by(ReviewScore.application_id, ReviewScore.reviewer_id)
    .subquery())
LATEST_TOTALS = (
    select(ReviewScore.application_id, ReviewScore.total)
    .join(_LATEST, _LATEST.c.id == ReviewScore.id)
    .outerjoin(ReviewAssignment, and_(
        ReviewAssignment.application_id == ReviewScore.application_id,
        ReviewAssignment.reviewer_id == ReviewScore.reviewer_id))
    .where(ReviewAssignment.conflict_at.is_(None)))

# One application's latest scores, with who gave them, for its page on the board.
APPLICATION_SCORES = (
    select(ReviewScore.id, ReviewScore.total, ReviewScore.comment, ReviewScore.scored_at,
           User.name.label("reviewer_name"), ReviewAssignment.conflict_at)
    .join(User, User.id == ReviewScore.reviewer_id)
    .outerjoin(ReviewAssignment, and_(
        ReviewAssignment.application_id == ReviewScore.application_id,
        ReviewAssignment.reviewer_id == ReviewScore.reviewer_id))
    .where(ReviewScore.id.in_(
        select(func.max(ReviewScore.id))
        .where(ReviewScore.application_id == bindparam("application_id"))
        .group_by(ReviewScore.reviewer_id)))
    .order_by(User.name))

# The latest override of each application of the call.
LATEST_OVERRIDES = (
    select(SelectionOverride.id, SelectionOverride.application_id, SelectionOverride.outcome,
           SelectionOverride.reason, SelectionOverride.made_at,
           User.name.label("made_by_name"))
    .join(User, User.id == SelectionOverride.made_by_id)
    .where(SelectionOverride.id.in_(
        select(func.max(SelectionOverride.id))
        .join(Application, Application.id == SelectionOverride.application_id)
        .where(Application.call_id == bindparam("call_id"))
        .group_by(SelectionOverride.application_id))))

# Every override of one application, newest first.
APPLICATION_OVERRIDES = (
    select(SelectionOverride.id, SelectionOverride.outcome, SelectionOverride.reason,
           SelectionOverride.made_at, User.name.label("made_by_name"))
    .join(User, User.id == SelectionOverride.made_by_id)
    .where(SelectionOverride.application_id == bindparam("application_id"))
    .order_by(SelectionOverride.id.desc()))
