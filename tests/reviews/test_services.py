"""Reviewing's services without HTTP: reviewers of a call, assignments by hand and by the
spread, conflicts and their reassignment, and append-only scores with their events."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from app.calls.models import CallReviewer, ReviewAssignment, ReviewScore
from app.core.errors import DomainError, PermissionDenied, ValidationError
from app.extensions import db
from app.records.models import Event
from app.records.services import AUTOMATIC
from app.reviews.services import (
    add_reviewer,
    assign_reviewer,
    declare_conflict,
    remove_reviewer,
    score_application,
    spread_reviews,
    unassign_reviewer,
)

POINTS = {"experience": 4, "motivation": 3, "impact": 5}


def _events(action: str) -> list[Event]:
    return list(db.session.scalars(select(Event).where(Event.action == action)
                                   .order_by(Event.seq)))


def _held(application_id: int) -> dict[int, ReviewAssignment]:
    return {row.reviewer_id: row for row in db.session.scalars(
        select(ReviewAssignment).where(ReviewAssignment.application_id == application_id))}


def test_the_spread_assigns_each_submitted_application_and_records_one_event(
        call_world: Any, clock) -> None:
    world = call_world
    submitted = [world.apply() for _ in range(5)]
    world.apply(state="draft")
    world.apply(state="withdrawn")
    result = spread_reviews(world.officer, world.call, clock())
    assert len(result.pairs) == 10 and not result.short
    for application in submitted:
        assert set(_held(application.id)) == {r.id for r in world.reviewers}
    [event] = _events("review.assigned")
    assert event.details["count"] == 10 and event.details["how"] == "spread"
    assert sorted(map(tuple, event.details["pairs"])) == sorted(result.pairs)
    assert event.actor_id == world.officer.id
    # Again: nothing is missing, nothing is added, nothing is recorded.
    assert spread_reviews(world.officer, world.call, clock()).pairs == ()
    assert len(_events("review.assigned")) == 1


def test_the_spread_keeps_reviewers_off_their_colleagues(call_world: Any, clock,
                                                         make_user) -> None:
    world = call_world
    world.reviewers[0].organisation = "Biovaccines  NIGERIA"
    third = make_user("tara@example.org", name="Tara Third")
    add_reviewer(world.officer, world.call, third.email, clock())
    application = world.apply(organisation="Biovaccines Nigeria")
    spread_reviews(world.officer, world.call, clock())
    assert set(_held(application.id)) == {world.reviewers[1].id, third.id}


def test_only_officers_run_the_reviews(call_world: Any, clock) -> None:
    world = call_world
    application = world.apply()
    for outsider in (world.network.stranger, world.reviewers[0]):
        with pytest.raises(PermissionDenied):
            spread_reviews(outsider, world.call, clock())
        with pytest.raises(PermissionDenied):
            assign_reviewer(outsider, world.call, application.id, world.reviewers[1].id,
                            clock())
        with pytest.raises(PermissionDenied):
            add_reviewer(outsider, world.call, "someone@example.org", clock())
    # The centre's administrator runs them as well as its programme officer.
    assert assign_reviewer(world.network.admin, world.call, application.id,
                           world.reviewers[1].id, clock()) is not None


def test_adding_a_reviewer_needs_an_account_and_never_an_applicant(call_world: Any,
                                                                    clock, make_user) -> None:
    world = call_world
    with pytest.raises(ValidationError) as missing:
        add_reviewer(world.officer, world.call, "nobody@example.org", clock())
    assert missing.value.field == "email"
    with pytest.raises(ValidationError, match="already"):
        add_reviewer(world.officer, world.call, "ROSA@example.org ", clock())
    applicant = make_user("amara@example.org", name="Amara Applicant")
    world.apply(applicant)
    with pytest.raises(ValidationError, match="applied"):
        add_reviewer(world.officer, world.call, applicant.email, clock())
    newcomer = make_user("nils@example.org", name="Nils New")
    add_reviewer(world.officer, world.call, newcomer.email, clock())
    [event] = _events("review.reviewer_added")
    assert event.details["reviewer_id"] == newcomer.id


def test_by_hand_never_on_ones_own_and_never_twice(call_world: Any, clock) -> None:
    world = call_world
    rosa = world.reviewers[0]
    own = world.apply(rosa)  # Rosa applied (before she was asked to review)
    with pytest.raises(ValidationError, match="own"):
        assign_reviewer(world.officer, world.call, own.id, rosa.id, clock())
    other = world.apply()
    assign_reviewer(world.officer, world.call, other.id, rosa.id, clock())
    with pytest.raises(ValidationError, match="already"):
        assign_reviewer(world.officer, world.call, other.id, rosa.id, clock())
    with pytest.raises(ValidationError, match="reviewers"):
        assign_reviewer(world.officer, world.call, other.id, world.officer.id, clock())
    draft = world.apply(state="draft")
    with pytest.raises(ValidationError, match="submitted"):
        assign_reviewer(world.officer, world.call, draft.id, rosa.id, clock())
    spread_reviews(world.officer, world.call, clock())
    assert rosa.id not in _held(own.id)


def test_unassigning_and_removing_stop_at_a_score(call_world: Any, clock) -> None:
    world = call_world
    rosa, ravi = world.reviewers
    first, second = world.apply(), world.apply()
    spread_reviews(world.officer, world.call, clock())
    score_application(rosa, first, world.call, POINTS, "", clock())
    with pytest.raises(DomainError, match="scored"):
        unassign_reviewer(world.officer, world.call, _held(first.id)[rosa.id].id, clock())
    with pytest.raises(DomainError, match="scored"):
        remove_reviewer(world.officer, world.call, rosa.id, clock())
    unassign_reviewer(world.officer, world.call, _held(second.id)[ravi.id].id, clock())
    assert ravi.id not in _held(second.id)
    [event] = _events("review.unassigned")
    assert event.details["pairs"] == [[second.id, ravi.id]]
    assert remove_reviewer(world.officer, world.call, ravi.id, clock()) == 1  # the first
    assert db.session.get(CallReviewer, (world.call.id, ravi.id)) is None
    assert set(_held(first.id)) == {rosa.id}
    assert len(_events("review.reviewer_removed")) == 1


def test_scores_are_appended_and_the_latest_supersedes(call_world: Any, clock) -> None:
    world = call_world
    rosa = world.reviewers[0]
    application = world.apply()
    assign_reviewer(world.officer, world.call, application.id, rosa.id, clock())
    first = score_application(rosa, application, world.call, POINTS, "Strong plan.", clock())
    assignment = _held(application.id)[rosa.id]
    scored_at = assignment.scored_at
    assert scored_at is not None and first.total == 12 and first.supersedes_id is None
    clock.advance(hours=2)
    second = score_application(rosa, application, world.call,
                               {**POINTS, "impact": "2"}, "On reflection.", clock())
    assert second.supersedes_id == first.id and second.total == 9
    assert second.points == {"experience": 4, "motivation": 3, "impact": 2}
    assert _held(application.id)[rosa.id].scored_at == scored_at  # the first time stays
    assert db.session.scalar(select(func.count(ReviewScore.id))) == 2
    events = _events("review.scored")
    assert [e.details["total"] for e in events] == [12, 9]
    assert events[1].details["supersedes_id"] == first.id
    assert events[1].details["points"]["impact"] == 2


def test_only_an_assigned_reviewer_without_a_conflict_scores(call_world: Any, clock) -> None:
    world = call_world
    rosa, ravi = world.reviewers
    application = world.apply()
    assign_reviewer(world.officer, world.call, application.id, rosa.id, clock())
    for outsider in (ravi, world.officer, world.network.stranger):
        with pytest.raises(PermissionDenied):
            score_application(outsider, application, world.call, POINTS, "", clock())
    with pytest.raises(ValidationError):
        score_application(rosa, application, world.call, {"experience": 9}, "", clock())
    declare_conflict(rosa, application, world.call, "She is my sister.", clock())
    with pytest.raises(PermissionDenied):
        score_application(rosa, application, world.call, POINTS, "", clock())


def test_no_score_after_the_decision(call_world: Any, clock) -> None:
    world = call_world
    rosa = world.reviewers[0]
    application = world.apply()
    assign_reviewer(world.officer, world.call, application.id, rosa.id, clock())
    world.call.status = "decided"
    with pytest.raises(DomainError, match="signed"):
        score_application(rosa, application, world.call, POINTS, "", clock())
    with pytest.raises(DomainError, match="signed"):
        spread_reviews(world.officer, world.call, clock())


def test_a_conflict_is_kept_and_the_application_goes_to_the_least_loaded_free_reviewer(
        call_world: Any, clock, make_user) -> None:
    world = call_world
    world.call.reviews_per_application = 1
    rosa, ravi = world.reviewers
    tara = make_user("tara@example.org", name="Tara Third")
    add_reviewer(world.officer, world.call, tara.email, clock())
    applications = [world.apply() for _ in range(3)]  # one each: Rosa, Ravi, Tara
    spread_reviews(world.officer, world.call, clock())
    rosas = next(a for a in applications if rosa.id in _held(a.id))
    ravis = next(a for a in applications if ravi.id in _held(a.id))
    score_application(ravi, ravis, world.call, POINTS, "", clock())
    extra = world.apply()
    assign_reviewer(world.officer, world.call, extra.id, tara.id, clock())  # Tara holds two
    taken_by = declare_conflict(rosa, rosas, world.call, "  I supervised her thesis.  ",
                                clock())
    assert taken_by == ravi.id  # one held, against Tara's two
    held = _held(rosas.id)
    assert held[rosa.id].conflict_at == clock() and held[rosa.id].conflict_reason == \
        "I supervised her thesis."
    assert held[ravi.id].assigned_by_id is None
    [conflict] = _events("review.conflict_declared")
    assert conflict.reason == "I supervised her thesis." and conflict.actor_id == rosa.id
    automatic = _events("review.assigned")[-1]
    assert automatic.actor_name == AUTOMATIC and automatic.details["how"] == "conflict"
    assert automatic.details["pairs"] == [[rosas.id, ravi.id]]
    # The spread never gives it back to Rosa.
    spread_reviews(world.officer, world.call, clock())
    assert set(_held(rosas.id)) == {rosa.id, ravi.id}


def test_a_conflict_with_nobody_free_leaves_the_application_short(call_world: Any,
                                                                  clock) -> None:
    world = call_world
    rosa, ravi = world.reviewers
    application = world.apply()
    spread_reviews(world.officer, world.call, clock())
    assert declare_conflict(rosa, application, world.call, "A colleague.", clock()) is None
    assert {r for r, row in _held(application.id).items() if row.conflict_at is None} == \
        {ravi.id}


def test_a_conflict_needs_a_reason_and_comes_before_the_score(call_world: Any, clock) -> None:
    world = call_world
    rosa = world.reviewers[0]
    application = world.apply()
    assign_reviewer(world.officer, world.call, application.id, rosa.id, clock())
    with pytest.raises(ValidationError) as empty:
        declare_conflict(rosa, application, world.call, "   ", clock())
    assert empty.value.field == "reason"
    score_application(rosa, application, world.call, POINTS, "", clock())
    with pytest.raises(DomainError, match="scored"):
        declare_conflict(rosa, application, world.call, "Oops.", clock())
    with pytest.raises(PermissionDenied):
        declare_conflict(world.reviewers[1], application, world.call, "Not mine.", clock())
