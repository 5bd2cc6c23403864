"""The spread at the issue's scale: 3,000 submitted applications and 40 reviewers, written in
one bulk insert rather than thousands of ORM round trips."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from sqlalchemy import func, insert, select

from app.auth.models import User
from app.calls.models import Application, CallReviewer, ReviewAssignment
from app.extensions import db
from app.records.models import Event
from app.reviews.services import spread_reviews
from tests.conftest import count_queries

APPLICATIONS = 3_000
REVIEWERS = 40


def _people(count: int, prefix: str, now: Any, hash_: str) -> list[int]:
    db.session.execute(insert(User), [
        {"email": f"{prefix}{n}@example.org", "name": f"{prefix} {n}", "password_hash": hash_,
         "country": "NG", "organisation": f"Org {n % 13}", "created_at": now}
        for n in range(count)])
    return list(db.session.scalars(select(User.id).where(User.email.like(f"{prefix}%"))
                                   .order_by(User.id)))


def test_three_thousand_applications_over_forty_reviewers(call_world: Any) -> None:
    world = call_world
    now = world.clock()
    hash_ = world.officer.password_hash
    applicants = _people(APPLICATIONS, "applicant", now, hash_)
    reviewers = _people(REVIEWERS, "panel", now, hash_)
    db.session.execute(insert(CallReviewer), [
        {"call_id": world.call.id, "user_id": user_id, "added_at": now} for user_id in reviewers])
    db.session.execute(insert(Application), [
        {"call_id": world.call.id, "applicant_id": user_id, "state": "submitted",
         "answers": {}, "organisation": f"org {n % 11}", "eligible": True,
         "ineligible_reasons": [], "created_at": now, "saved_at": now, "submitted_at": now,
         "version": 1}
        for n, user_id in enumerate(applicants)])
    db.session.commit()
    started = time.perf_counter()
    with count_queries() as statements:
        result = spread_reviews(world.officer, world.call, now)
        db.session.commit()
    elapsed = time.perf_counter() - started
    assert len(result.pairs) == 2 * APPLICATIONS and not result.short
    assert len(statements) < 20, len(statements)  # reads, one bulk insert, one event
    assert elapsed < 10, elapsed
    loads = Counter(db.session.scalars(select(ReviewAssignment.reviewer_id)))
    assert len(loads) == REVIEWERS + len(world.reviewers)  # Rosa and Ravi too
    assert max(loads.values()) - min(loads.values()) <= 1
    assert db.session.scalar(select(func.count()).select_from(Event)
                             .where(Event.action == "review.assigned")) == 1
