"""Reviewing a call's applications: the call's reviewers, who reviews which application (by
hand or spread evenly: spread.py), conflicts of interest and the reassignment they cause,
and the reviewers' append-only scores. Each service flushes, records its audit event and
never commits (the request boundary does)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, insert, select

from app.auth.models import User
from app.calls.models import Application, Call, CallReviewer, ReviewAssignment, ReviewScore
from app.calls.quotas import organisation_key
from app.calls.rules import rubric_max, score_problems
from app.core.auth import authorize
from app.core.errors import DomainError, NotFound, PermissionDenied, ValidationError
from app.extensions import db
from app.records.services import record_event
from app.reviews.spread import Applicant, Held, Reviewer, Spread, pick_reviewer, spread

# The applications that reviewers score: handed in, not withdrawn, not decided yet.
REVIEWED_STATE = "submitted"
REASON_LENGTH = 2000
COMMENT_LENGTH = 5000


def _refuse_decided(call: Call) -> None:
    if call.status == "decided":
        raise DomainError(_l("The selection of this call is signed: its reviews are closed."))


def _call_application(call: Call, application_id: int) -> Application:
    application = db.session.get(Application, application_id)
    if application is None or application.call_id != call.id:
        raise NotFound("no such application in this call")
    return application


def _in_call(call: Call) -> Any:
    return select(Application.id).where(Application.call_id == call.id).scalar_subquery()


# --- the call's reviewers -------------------------------------------------------------------

def add_reviewer(actor: User, call: Call, email: str, now: datetime) -> User:
    """Ask an existing account to review the call. Never an applicant of the call."""
    authorize(actor, "call.run", call)
    _refuse_decided(call)
    reviewer = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if reviewer is None or not reviewer.active:
        raise ValidationError(_l("No account has this e-mail address: the reviewer needs an "
                                 "account of their own first."), field="email")
    if db.session.get(CallReviewer, (call.id, reviewer.id)) is not None:
        raise ValidationError(_l("%(name)s reviews this call already.", name=reviewer.name),
                              field="email")
    applied = db.session.scalar(select(Application.id).where(
        Application.call_id == call.id, Application.applicant_id == reviewer.id))
    if applied is not None:
        raise ValidationError(_l("%(name)s has applied to this call and cannot review it.",
                                 name=reviewer.name), field="email")
    db.session.add(CallReviewer(call_id=call.id, user_id=reviewer.id, added_at=now,
                                added_by_id=actor.id))
    db.session.flush()
    record_event("review.reviewer_added", actor=actor, now=now, subject_type="call",
                 subject_id=call.id, details={"reviewer_id": reviewer.id,
                                              "email": reviewer.email})
    return reviewer


def remove_reviewer(actor: User, call: Call, reviewer_id: int, now: datetime) -> int:
    """Take a reviewer off the call, with the applications they hold unscored; refused once
    they have scored one. A declared conflict stays on record. How many they held."""
    authorize(actor, "call.run", call)
    member = db.session.get(CallReviewer, (call.id, reviewer_id))
    if member is None:
        raise NotFound("not a reviewer of this call")
    scored = db.session.scalar(select(func.count(ReviewScore.id)).where(
        ReviewScore.reviewer_id == reviewer_id, ReviewScore.application_id.in_(_in_call(call))))
    if scored:
        raise DomainError(_l("This reviewer has scored applications of the call: their scores "
                             "stay, and so do they."))
    held = db.session.scalars(select(ReviewAssignment.application_id).where(
        ReviewAssignment.reviewer_id == reviewer_id, ReviewAssignment.conflict_at.is_(None),
        ReviewAssignment.application_id.in_(_in_call(call)))
        .order_by(ReviewAssignment.application_id)).all()
    db.session.execute(delete(ReviewAssignment).where(
        ReviewAssignment.reviewer_id == reviewer_id, ReviewAssignment.conflict_at.is_(None),
        ReviewAssignment.application_id.in_(_in_call(call))))
    db.session.delete(member)
    db.session.flush()
    if held:
        record_event("review.unassigned", actor=actor, now=now, subject_type="call",
                     subject_id=call.id, details={"count": len(held), "pairs": [
                         [application_id, reviewer_id] for application_id in held]})
    record_event("review.reviewer_removed", actor=actor, now=now, subject_type="call",
                 subject_id=call.id, details={"reviewer_id": reviewer_id})
    return len(held)


# --- assignments ----------------------------------------------------------------------------

def assign_reviewer(actor: User, call: Call, application_id: int, reviewer_id: int,
                    now: datetime) -> ReviewAssignment:
    """An officer's choice: this reviewer scores this application."""
    authorize(actor, "call.run", call)
    _refuse_decided(call)
    application = _call_application(call, application_id)
    if application.state != REVIEWED_STATE:
        raise ValidationError(_l("Only a submitted application is reviewed."),
                              field="application")
    if db.session.get(CallReviewer, (call.id, reviewer_id)) is None:
        raise ValidationError(_l("Choose one of the call's reviewers."), field="reviewer")
    if application.applicant_id == reviewer_id:
        raise ValidationError(_l("Nobody reviews their own application."), field="reviewer")
    held = db.session.scalar(select(ReviewAssignment).where(
        ReviewAssignment.application_id == application.id,
        ReviewAssignment.reviewer_id == reviewer_id))
    if held is not None:
        raise ValidationError(_l("This reviewer declared a conflict of interest on it.")
                              if held.conflict_at else
                              _l("This reviewer has this application already."),
                              field="reviewer")
    assignment = ReviewAssignment(application_id=application.id, reviewer_id=reviewer_id,
                                  assigned_at=now, assigned_by_id=actor.id)
    db.session.add(assignment)
    db.session.flush()
    record_event("review.assigned", actor=actor, now=now, subject_type="application",
                 subject_id=application.id, details={
                     "call_id": call.id, "count": 1, "pairs": [[application.id, reviewer_id]],
                     "how": "by_hand"})
    return assignment


def unassign_reviewer(actor: User, call: Call, assignment_id: int, now: datetime) -> None:
    """Take a reviewer off an application they have not scored; a declared conflict stays
    on record."""
    authorize(actor, "call.run", call)
    _refuse_decided(call)
    assignment = db.session.get(ReviewAssignment, assignment_id)
    if assignment is None:
        raise NotFound("no such assignment")
    _call_application(call, assignment.application_id)
    if assignment.scored_at is not None:
        raise DomainError(_l("This reviewer has scored the application: the assignment stays."))
    if assignment.conflict_at is not None:
        raise DomainError(_l("A declared conflict of interest stays on record."))
    pair = [assignment.application_id, assignment.reviewer_id]
    db.session.delete(assignment)
    db.session.flush()
    record_event("review.unassigned", actor=actor, now=now, subject_type="application",
                 subject_id=pair[0], details={"call_id": call.id, "count": 1, "pairs": [pair]})


def spread_facts(call: Call) -> tuple[list[Applicant], list[Reviewer], list[Held]]:
    """What the spread reads: three statements, whatever the call's size."""
    applicants = [Applicant(row.id, row.applicant_id, organisation_key(row.organisation or ""))
                  for row in db.session.execute(
                      select(Application.id, Application.applicant_id, Application.organisation)
                      .where(Application.call_id == call.id,
                             Application.state == REVIEWED_STATE))]
    reviewers = _call_reviewers(call)
    held = [Held(row.application_id, row.reviewer_id, row.conflict_at is not None)
            for row in db.session.execute(
                select(ReviewAssignment.application_id, ReviewAssignment.reviewer_id,
                       ReviewAssignment.conflict_at)
                .where(ReviewAssignment.application_id.in_(_in_call(call))))]
    return applicants, reviewers, held


def spread_reviews(actor: User, call: Call, now: datetime) -> Spread:
    """Top up every submitted application to `call.reviews_per_application` reviewers
    (spread.py), in one bulk insert and one audit event with the pairs."""
    authorize(actor, "call.run", call)
    # Two officers spreading at once: the second waits here, then tops up what the first
    # left (never the same pair twice).
    db.session.refresh(call, with_for_update=True)
    _refuse_decided(call)
    applicants, reviewers, held = spread_facts(call)
    if not reviewers:
        raise DomainError(_l("Add the call's reviewers first."))
    result = spread(applicants, reviewers, held, call.reviews_per_application)
    if result.pairs:
        db.session.execute(insert(ReviewAssignment), [
            {"application_id": application_id, "reviewer_id": reviewer_id,
             "assigned_at": now, "assigned_by_id": actor.id, "conflict_reason": ""}
            for application_id, reviewer_id in result.pairs])
        record_event("review.assigned", actor=actor, now=now, subject_type="call",
                     subject_id=call.id, details={
                         "call_id": call.id, "count": len(result.pairs), "how": "spread",
                         "per_application": call.reviews_per_application,
                         "pairs": [list(pair) for pair in result.pairs]})
    return result


# --- the reviewer's own work ----------------------------------------------------------------

def _own_assignment(actor: User, application: Application) -> ReviewAssignment:
    assignment = db.session.scalar(select(ReviewAssignment).where(
        ReviewAssignment.application_id == application.id,
        ReviewAssignment.reviewer_id == actor.id, ReviewAssignment.conflict_at.is_(None)))
    if assignment is None:
        raise PermissionDenied("not assigned to review this application")
    return assignment


def declare_conflict(actor: User, application: Application, call: Call, reason: str,
                     now: datetime) -> int | None:
    """The reviewer cannot judge this application fairly: the assignment keeps who, when
    and why, and the application goes to the least-loaded other reviewer free for it when
    it is short of reviewers. Who took it over, or None (the officers' page flags it)."""
    assignment = _own_assignment(actor, application)
    _refuse_decided(call)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_l("Say why, in a few words: the officers read it."),
                              field="reason")
    if len(reason) > REASON_LENGTH:
        raise ValidationError(_l("Use at most %(max)s characters.", max=REASON_LENGTH),
                              field="reason")
    if assignment.scored_at is not None:
        raise DomainError(_l("You have scored this application already: ask the call's "
                             "officers to take you off it."))
    assignment.conflict_at = now
    assignment.conflict_reason = reason
    db.session.flush()
    record_event("review.conflict_declared", actor=actor, now=now, subject_type="application",
                 subject_id=application.id, reason=reason, details={"call_id": call.id})
    return _reassign(call, application, now)


def _reassign(call: Call, application: Application, now: datetime) -> int | None:
    rows = db.session.execute(
        select(ReviewAssignment.reviewer_id, ReviewAssignment.conflict_at)
        .where(ReviewAssignment.application_id == application.id)).all()
    if sum(1 for row in rows if row.conflict_at is None) >= call.reviews_per_application:
        return None
    chosen = pick_reviewer(
        Applicant(application.id, application.applicant_id,
                  organisation_key(application.organisation or "")),
        _call_reviewers(call), {row.reviewer_id for row in rows}, _loads(call))
    if chosen is None:
        return None
    db.session.add(ReviewAssignment(application_id=application.id, reviewer_id=chosen,
                                    assigned_at=now, assigned_by_id=None))
    db.session.flush()
    record_event("review.assigned", actor=None, automatic=True, now=now,
                 subject_type="application", subject_id=application.id, details={
                     "call_id": call.id, "count": 1, "pairs": [[application.id, chosen]],
                     "how": "conflict"})
    return chosen


def _call_reviewers(call: Call) -> list[Reviewer]:
    return [Reviewer(row.id, organisation_key(row.organisation or ""))
            for row in db.session.execute(
                select(User.id, User.organisation)
                .join(CallReviewer, CallReviewer.user_id == User.id)
                .where(CallReviewer.call_id == call.id))]


def _loads(call: Call) -> Counter[int]:
    """Applications of the call each reviewer holds without a conflict."""
    return Counter({row.reviewer_id: row.held for row in db.session.execute(
        select(ReviewAssignment.reviewer_id, func.count().label("held"))
        .where(ReviewAssignment.application_id.in_(_in_call(call)),
               ReviewAssignment.conflict_at.is_(None))
        .group_by(ReviewAssignment.reviewer_id))})


def latest_score(reviewer_id: int, application_id: int) -> ReviewScore | None:
    return db.session.scalar(select(ReviewScore).where(
        ReviewScore.application_id == application_id, ReviewScore.reviewer_id == reviewer_id)
        .order_by(ReviewScore.id.desc()).limit(1))


def score_application(actor: User, application: Application, call: Call,
                      points: Mapping[str, object], comment: str, now: datetime
                      ) -> ReviewScore:
    """Append the reviewer's score against the call's rubric; a later one supersedes their
    earlier one, which stays. The first marks the assignment done."""
    assignment = _own_assignment(actor, application)
    _refuse_decided(call)
    if application.state != REVIEWED_STATE:
        raise DomainError(_l("This application is no longer under review."))
    problems = score_problems(call.rubric, points)
    if problems:
        raise ValidationError(_l("Give every criterion its points."))
    if len(comment) > COMMENT_LENGTH:
        raise ValidationError(_l("Use at most %(max)s characters.", max=COMMENT_LENGTH),
                              field="comment")
    given = {criterion["key"]: int(str(points[criterion["key"]])) for criterion in call.rubric}
    previous = latest_score(actor.id, application.id)
    score = ReviewScore(application_id=application.id, reviewer_id=actor.id, points=given,
                        total=sum(given.values()), comment=comment.strip(), scored_at=now,
                        supersedes_id=previous.id if previous else None)
    db.session.add(score)
    if assignment.scored_at is None:
        assignment.scored_at = now
    db.session.flush()
    record_event("review.scored", actor=actor, now=now, subject_type="application",
                 subject_id=application.id, details={
                     "call_id": call.id, "score_id": score.id, "points": given,
                     "total": score.total, "out_of": rubric_max(call.rubric),
                     "supersedes_id": score.supersedes_id})
    return score
