"""Reviewers' scores for the selection tests, written as rows (the reviewing pages are
another part's): an assignment and a score, as a reviewer would leave them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.auth.models import User
from app.calls.models import Application, ReviewAssignment, ReviewScore
from app.extensions import db


def score(application: Application, reviewer: User, total: int, now: datetime, *,
          comment: str = "", conflict: bool = False) -> ReviewScore:
    """`reviewer`'s score of `application` (a new one supersedes their earlier one)."""
    assignment = db.session.scalar(select(ReviewAssignment).where(
        ReviewAssignment.application_id == application.id,
        ReviewAssignment.reviewer_id == reviewer.id))
    if assignment is None:
        assignment = ReviewAssignment(application_id=application.id, reviewer_id=reviewer.id,
                                      assigned_at=now, scored_at=now)
        db.session.add(assignment)
    if conflict:
        assignment.conflict_at, assignment.conflict_reason = now, "Former colleague"
    earlier = db.session.scalar(select(ReviewScore.id).where(
        ReviewScore.application_id == application.id, ReviewScore.reviewer_id == reviewer.id)
        .order_by(ReviewScore.id.desc()).limit(1))
    third = total // 3
    row = ReviewScore(application_id=application.id, reviewer_id=reviewer.id,
                      points={"experience": third, "motivation": third,
                              "impact": total - 2 * third},
                      total=total, comment=comment, scored_at=now, supersedes_id=earlier)
    db.session.add(row)
    db.session.commit()
    return row


def score_all(applications: list[Application], reviewers: list[User],
              totals: list[tuple[int, ...]], now: datetime) -> None:
    """Each application scored by the reviewers in turn, one total per reviewer."""
    for application, given in zip(applications, totals, strict=True):
        for reviewer, total in zip(reviewers, given, strict=False):
            score(application, reviewer, total, now)
