"""The board's figures, the proposal with the call's quotas, overrides and their events, and
the signed decision, through the services without HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.calls.hooks import DECISION_HOOKS
from app.calls.models import Application, CallDecision, SelectionOverride
from app.core.errors import DomainError, NotFound, ValidationError, ValidationErrors
from app.extensions import db
from app.records.models import Event, Signature
from app.records.signatures import Refused
from app.selection.board import read_board
from app.selection.links import board_links
from app.selection.services import (
    SelectionClosed,
    board_application,
    decide_selection,
    override_selection,
    remove_override,
)
from tests.calls.world import CLOSES, CallWorld
from tests.conftest import DEFAULT_PASSWORD
from tests.selection.scoring import score, score_all


def _six(world: CallWorld) -> list[Application]:
    """Three from Nigeria, two from Kenya, one from Korea (not eligible), scored by Rosa
    and Ravi; four places, at most two per country."""
    apps = [world.apply(nationality=country, organisation=f"Org {n}", gender=gender)
            for n, (country, gender) in enumerate(
                [("NG", "female"), ("NG", "male"), ("NG", "female"), ("KE", "male"),
                 ("KE", "female"), ("KR", "male")])]
    korea = apps[5]
    korea.eligible, korea.ineligible_reasons = False, [{"code": "nationality_not_lmic",
                                                        "country": "KR"}]
    db.session.commit()
    score_all(apps[:5], world.reviewers, [(14, 13), (12, 12), (11, 12), (14, 6), (9, 9)],
              world.clock())
    return apps


def _closed(world: CallWorld) -> None:
    world.clock.advance(days=30)  # type: ignore[attr-defined]
    assert world.clock() > CLOSES


def test_the_board_ranks_sums_up_and_proposes(call_world: CallWorld) -> None:
    apps = _six(call_world)
    board = read_board(call_world.call)
    order = [row.application_id for row in board.rows]
    # means: 13.5, 12, 11.5, 10, 9; Korea is not scored
    assert order == [apps[0].id, apps[1].id, apps[2].id, apps[3].id, apps[4].id, apps[5].id]
    first, kenya = board.rows[0], board.rows[3]
    assert (first.scores.count, first.scores.mean, first.scores.low, first.scores.high) == (
        2, 13.5, 13, 14)
    assert not first.scores.disagreement
    assert kenya.scores.disagreement  # 14 and 6: a range of 8 out of 15 is over a quarter
    assert board.proposal.selected == (apps[0].id, apps[1].id, apps[3].id, apps[4].id)
    skip = board.row(apps[2].id).skip  # type: ignore[union-attr]
    assert skip is not None and (skip.kind, skip.country, skip.count, skip.cap) == (
        "country_cap", "NG", 2, 2)
    assert board.row(apps[5].id).skip.kind == "not_eligible"  # type: ignore[union-attr]
    assert board.row(apps[2].id).placement.waitlist_rank == 1  # type: ignore[union-attr]
    assert board.counts["applications"] == 6 and board.counts["eligible"] == 5
    assert board.counts["disagreements"] == 1 and board.counts["accepted"] == 4
    nigeria = next(line for line in board.countries if line.country == "NG")
    assert (nigeria.applications, nigeria.accepted, nigeria.cap) == (3, 2, 2)
    assert board.genders["female"][0] == 2 and board.genders["male"][0] == 2


def test_a_reviewers_latest_score_counts_and_a_conflict_none(call_world: CallWorld) -> None:
    app = call_world.apply()
    rosa, ravi = call_world.reviewers
    now = call_world.clock()
    score(app, rosa, 3, now)
    score(app, rosa, 12, now)  # supersedes her 3
    score(app, ravi, 2, now, conflict=True)
    row = read_board(call_world.call).rows[0]
    assert (row.scores.count, row.scores.mean) == (1, 12)


def test_withdrawn_and_draft_applications_are_not_on_the_board(call_world) -> None:
    kept = call_world.apply()
    call_world.apply(state="withdrawn")
    draft = call_world.apply(state="draft")
    assert [r.application_id for r in read_board(call_world.call).rows] == [kept.id]
    with pytest.raises(NotFound):
        board_application(call_world.call, draft.id)


def test_the_proposal_keeps_the_calls_minimums(call_world: CallWorld) -> None:
    apps = _six(call_world)
    call_world.call.quotas = {"country_max": 2, "country_min": {"GH": 1}}
    ghana = call_world.apply(nationality="GH", organisation="Ghana Bio")
    score(ghana, call_world.reviewers[0], 4, call_world.clock())
    db.session.commit()
    board = read_board(call_world.call)
    assert ghana.id in board.proposal.selected
    held = board.row(apps[4].id).skip  # type: ignore[union-attr]
    assert held is not None and held.kind == "reserved" and board.held_for(held) == ["GH"]


def test_an_override_changes_the_final_list_and_is_an_event(call_world: CallWorld) -> None:
    apps = _six(call_world)
    officer, now = call_world.officer, call_world.clock()
    override_selection(officer, call_world.call, apps[2], outcome="accepted",
                       reason="Only applicant from the new fill-finish plant", now=now)
    db.session.commit()
    board = read_board(call_world.call)
    row = board.row(apps[2].id)
    assert row is not None and row.placement.outcome == "accepted" and row.placement.overridden
    assert board.counts["accepted"] == 5
    assert [w.kind for w in board.final.warnings] == ["over_places", "country_cap"]
    event = db.session.scalar(select(Event).where(Event.action == "selection.overridden"))
    assert event is not None and event.subject_id == str(apps[2].id)
    assert event.details["outcome"] == "accepted" and event.details["proposed"] == "waitlisted"
    assert event.reason == "Only applicant from the new fill-finish plant"

    assert remove_override(officer, call_world.call, apps[2], now=now).outcome == "proposal"
    db.session.commit()
    kept = db.session.scalars(select(SelectionOverride.outcome)
                              .where(SelectionOverride.application_id == apps[2].id)
                              .order_by(SelectionOverride.id)).all()
    assert kept == ["accepted", "proposal"]  # the override taken back stays on record
    assert read_board(call_world.call).row(apps[2].id).placement.outcome == "waitlisted"  # type: ignore[union-attr]
    removal = db.session.scalars(select(Event).where(Event.action == "selection.overridden")
                                 .order_by(Event.seq.desc())).first()
    assert removal is not None and removal.details["outcome"] is None
    assert removal.details["removed"]["reason"].startswith("Only applicant")
    with pytest.raises(DomainError):
        remove_override(officer, call_world.call, apps[2], now=now)


def test_an_override_needs_an_outcome_and_a_reason(call_world: CallWorld) -> None:
    app = call_world.apply()
    with pytest.raises(ValidationErrors) as refused:
        override_selection(call_world.officer, call_world.call, app, outcome="maybe",
                           reason="  ", now=call_world.clock())
    assert {e.field for e in refused.value.errors} == {"outcome", "reason"}
    with pytest.raises(ValidationError):
        override_selection(call_world.officer, call_world.call, app, outcome="regretted",
                           reason="", now=call_world.clock())
    assert db.session.scalar(select(SelectionOverride.id)) is None


def test_the_signed_decision_gives_every_application_its_state(call_world, app) -> None:
    apps = _six(call_world)
    override_selection(call_world.officer, call_world.call, apps[4], outcome="regretted",
                       reason="Declared unavailable in June", now=call_world.clock())
    db.session.commit()
    seen: list[tuple[int, int]] = []
    DECISION_HOOKS.add(app, lambda call, decision, *, now: seen.append(
        (call.id, len(decision.outcomes))))
    _closed(call_world)
    now = call_world.clock()
    decision = decide_selection(call_world.officer, call_world.call, password=DEFAULT_PASSWORD,
                                now=now)
    db.session.commit()
    assert isinstance(decision, CallDecision)
    states = {a.id: (a.state, a.waitlist_rank) for a in db.session.scalars(select(Application))}
    assert states == {apps[0].id: ("accepted", None), apps[1].id: ("accepted", None),
                      apps[3].id: ("accepted", None), apps[2].id: ("waitlisted", 1),
                      apps[4].id: ("regretted", None), apps[5].id: ("regretted", None)}
    accepted = db.session.get(Application, apps[0].id)
    assert accepted is not None and accepted.respond_by == now + timedelta(days=14)
    assert accepted.decided_at == now
    assert call_world.call.status == "decided" and call_world.call.decided_at == now
    assert seen == [(call_world.call.id, 6)]
    assert [o["outcome"] for o in decision.outcomes] == [
        "accepted", "accepted", "waitlisted", "accepted", "regretted", "regretted"]
    assert decision.outcomes[4]["overridden"] is True
    signature = db.session.get(Signature, decision.signature_id)
    assert signature is not None and signature.meaning == "Selection approved"
    event = db.session.scalar(select(Event).where(Event.action == "selection.decided"))
    assert event is not None and event.details["outcomes"] == decision.outcomes
    assert event.details["accepted"] == 3

    with pytest.raises(SelectionClosed):
        decide_selection(call_world.officer, call_world.call, password=DEFAULT_PASSWORD,
                         now=now)
    with pytest.raises(SelectionClosed):
        override_selection(call_world.officer, call_world.call, apps[2], outcome="accepted",
                           reason="Too late", now=now)


def test_a_refused_signature_is_kept_and_changes_nothing(call_world: CallWorld) -> None:
    _six(call_world)
    _closed(call_world)
    result = decide_selection(call_world.officer, call_world.call, password="not it",
                              now=call_world.clock())
    db.session.commit()
    assert isinstance(result, Refused) and result.error.field == "password"
    assert call_world.call.status == "published"
    assert db.session.scalar(select(CallDecision.id)) is None
    assert {a.state for a in db.session.scalars(select(Application))} == {"submitted"}
    assert db.session.scalar(select(Event.id).where(Event.action == "signature.refused"))


def test_an_open_call_cannot_be_decided(call_world: CallWorld) -> None:
    _six(call_world)
    with pytest.raises(SelectionClosed):
        decide_selection(call_world.officer, call_world.call, password=DEFAULT_PASSWORD,
                         now=call_world.clock())


def test_the_latest_override_counts(call_world: CallWorld) -> None:
    apps = _six(call_world)
    for outcome in ("accepted", "regretted"):
        override_selection(call_world.officer, call_world.call, apps[0], outcome=outcome,
                           reason=f"Committee says {outcome}", now=call_world.clock())
    db.session.commit()
    row = read_board(call_world.call).row(apps[0].id)
    assert row is not None and row.placement.outcome == "regretted"
    assert row.override is not None and row.override.reason == "Committee says regretted"
    assert row.override.made_by == "Pat Officer"


def test_the_board_is_linked_for_the_calls_officers_only(call_world: CallWorld) -> None:
    call = call_world.call
    links = board_links(call, call_world.officer)
    assert [(str(link.label), link.endpoint, dict(link.values)) for link in links] == [
        ("Selection board", "selection.board", {"call_id": call.id})]
    assert board_links(call, call_world.network.stranger) == []
    assert board_links(call, call_world.reviewers[0]) == []


def test_the_selection_registers_its_link_and_meaning(app) -> None:
    from app.calls.hooks import CALL_LINKS
    from app.records.meanings import MEANINGS

    assert board_links in CALL_LINKS.all(app)
    assert str(MEANINGS.find("Selection approved")) == "Selection approved"
