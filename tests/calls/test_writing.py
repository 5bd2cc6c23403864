"""Writing a call without HTTP: create, change with every problem at once, the stale edit,
publishing and closing with their audit events, centre calls, and the officers' scope."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.calls.checking import CallPlan
from app.calls.models import Call
from app.calls.services import change_call, close_call, create_call, publish_call
from app.centres.services import ensure_hub
from app.core.errors import PermissionDenied, ValidationError, ValidationErrors
from app.core.roles import Role
from app.extensions import db
from app.records.models import Event
from tests.calls.world import FORM, RUBRIC, CallWorld

OPENS = datetime(2026, 4, 1, tzinfo=UTC)
CLOSES = datetime(2026, 4, 30, 14, 59, tzinfo=UTC)


def _plan(world: CallWorld, **changes: Any) -> CallPlan:
    plan = CallPlan(
        centre_id=world.network.centre.id, intake_id=world.intake.id, kind="trainee",
        code="IBDM-2026-09", title="Call for applications: IBDM September 2026",
        description="## Who\n\nProduction staff.", opens_at=OPENS, closes_at=CLOSES,
        timezone="Asia/Seoul", places=20, languages=("en", "fr"),
        eligibility={"countries": "lmic", "min_experience_years": 2},
        form=[dict(f) for f in FORM[:3]], rubric=[dict(c) for c in RUBRIC],
        quotas={"country_max": 4})
    return replace(plan, **changes)


def _events(action: str) -> list[Event]:
    return list(db.session.scalars(select(Event).where(Event.action == action)
                                   .order_by(Event.seq)))


def _fields(error: ValidationError) -> set[str | None]:
    errors = error.errors if isinstance(error, ValidationErrors) else [error]
    return {each.field for each in errors}


def test_an_officer_writes_a_draft_and_its_description_is_rendered_once(
        call_world: CallWorld, clock) -> None:
    call = create_call(call_world.officer, _plan(call_world, description=(
        "Apply **now**.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))")), clock())
    assert (call.status, call.version, call.created_by_id) == \
        ("draft", 1, call_world.officer.id)
    assert "<strong>now</strong>" in call.description_html
    assert "<script" not in call.description_html
    assert "href=\"javascript" not in call.description_html
    assert call.opens_at == OPENS and call.timezone == "Asia/Seoul"
    [event] = _events("call.created")
    assert event.details["code"] == "IBDM-2026-09"


def test_every_problem_comes_at_once_keyed_by_its_place(call_world: CallWorld, clock) -> None:
    bad = _plan(call_world, code="", title="", closes_at=OPENS, timezone="Mars/Olympus",
                places=-1, languages=(), eligibility={"countries": "list"},
                form=[{"key": "role", "kind": "text", "label": "Role"},
                      {"key": "role", "kind": "essay", "label": "Again"},
                      {"key": "pick", "kind": "choice", "label": "Pick", "choices": ["a"]}],
                rubric=[{"key": "x", "label": "", "max": 0}],
                quotas={"country_max": 0, "country_min": {"ZZ": 1},
                        "gender_target": {"female": 80, "male": 40}},
                reviews_per_application=0, disagreement_share=0.0)
    with pytest.raises(ValidationErrors) as refused:
        create_call(call_world.officer, bad, clock())
    assert _fields(refused.value) >= {
        "code", "title", "closes_at", "timezone", "places", "languages",
        "eligibility:country_list", "form:role", "form:pick", "rubric:x",
        "quotas:country_max", "quotas:country_min", "quotas:gender_target",
        "reviews_per_application", "disagreement_share"}
    assert db.session.scalar(select(Call.id).where(Call.code == "")) is None


def test_a_code_is_unique_at_the_centre_and_the_intake_is_the_centres(
        call_world: CallWorld, clock) -> None:
    with pytest.raises(ValidationError) as refused:
        create_call(call_world.officer, _plan(call_world, code="IBDM-2026-06",
                                              intake_id=call_world.network.intake.id + 999),
                    clock())
    assert _fields(refused.value) == {"code", "intake_id"}


def test_publishing_needs_a_form_a_rubric_and_places(call_world: CallWorld, clock) -> None:
    call = create_call(call_world.officer, _plan(call_world, form=[], rubric=[], places=0),
                       clock())
    with pytest.raises(ValidationErrors) as refused:
        publish_call(call_world.officer, call, clock())
    assert _fields(refused.value) == {"form", "rubric", "places"}
    db.session.rollback()
    call = create_call(call_world.officer, _plan(call_world), clock())
    publish_call(call_world.officer, call, clock())
    assert (call.status, call.published_at) == ("published", clock())
    [event] = _events("call.published")
    assert event.details["places"] == 20 and event.details["timezone"] == "Asia/Seoul"
    with pytest.raises(ValidationError, match="published already"):
        publish_call(call_world.officer, call, clock())


def test_a_change_after_publishing_is_audited_with_what_changed(
        call_world: CallWorld, clock) -> None:
    call = create_call(call_world.officer, _plan(call_world), clock())
    change_call(call_world.officer, call, _plan(call_world, title="Draft title"), 1, clock())
    assert _events("call.changed") == []  # a draft's changes are not audited
    publish_call(call_world.officer, call, clock())
    version = call.version
    change_call(call_world.officer, call, _plan(
        call_world, title="Draft title", places=24, closes_at=CLOSES + timedelta(days=7),
        form=[*FORM[:3], {"key": "years", "kind": "number", "label": "Years", "min": 0}]),
        version, clock())
    [event] = _events("call.changed")
    assert event.details["changed"] == ["closes_at", "places", "form"]
    assert event.details["values"]["places"] == {"old": 20, "new": 24}
    assert event.details["values"]["closes_at"]["new"].startswith("2026-05-07")
    assert "form" not in event.details["values"]  # too long to show: named only
    assert call.version == version + 1 and call.changed_at == clock()
    change_call(call_world.officer, call, _plan(
        call_world, title="Draft title", places=24, closes_at=CLOSES + timedelta(days=7),
        form=[*FORM[:3], {"key": "years", "kind": "number", "label": "Years", "min": 0}]),
        call.version, clock())
    assert len(_events("call.changed")) == 1  # saving the same again changes nothing


def test_a_stale_edit_is_refused_and_nothing_is_saved(call_world: CallWorld, clock) -> None:
    call = call_world.call
    change_call(call_world.officer, call, _plan(call_world, code=call.code, title="Theirs"),
                call.version, clock())
    db.session.commit()
    with pytest.raises(ValidationError, match="Someone else saved this call"):
        change_call(call_world.officer, call, _plan(call_world, code=call.code,
                                                    title="Mine"), 1, clock())
    db.session.rollback()
    assert db.session.scalar(select(Call.title).where(Call.id == call.id)) == "Theirs"


def test_an_officer_of_another_centre_neither_writes_nor_changes_its_calls(
        call_world: CallWorld, clock) -> None:
    luis = call_world.network.stranger
    with pytest.raises(PermissionDenied):
        create_call(luis, _plan(call_world), clock())
    with pytest.raises(PermissionDenied):
        change_call(luis, call_world.call, _plan(call_world), call_world.call.version, clock())
    with pytest.raises(PermissionDenied):
        publish_call(luis, call_world.call, clock())
    with pytest.raises(PermissionDenied):
        close_call(luis, call_world.call, clock())
    own = create_call(luis, _plan(call_world, centre_id=call_world.network.other.id,
                                  intake_id=None), clock())
    with pytest.raises(PermissionDenied):  # nor moves one of his own to a centre not his
        change_call(luis, own, _plan(call_world, intake_id=None), own.version, clock())


def test_a_published_call_keeps_its_centre_and_a_question_its_kind_once_applied_to(
        call_world: CallWorld, clock) -> None:
    call = call_world.call
    call_world.apply()
    changed_kind = [dict(f) for f in call.form]
    changed_kind[0] = {"key": "role", "kind": "long_text", "label": "Role"}
    admin = call_world.make_user("root@example.org", roles=(Role.ADMIN,))
    with pytest.raises(ValidationErrors) as refused:
        change_call(admin, call, _plan(call_world, code=call.code, form=changed_kind,
                                       centre_id=call_world.network.other.id, intake_id=None),
                    call.version, clock())
    assert _fields(refused.value) == {"centre_id", "form:role"}


def test_closing_ends_an_open_call_now_and_is_audited(call_world: CallWorld, clock) -> None:
    call = call_world.call
    old = call.closes_at
    close_call(call_world.officer, call, clock())
    assert call.closes_at == clock()
    [event] = _events("call.closed")
    assert event.details["closes_at"] == {"old": old.isoformat(), "new": clock().isoformat()}
    with pytest.raises(ValidationError, match="Only an open call"):
        close_call(call_world.officer, call, clock())
    upcoming = create_call(call_world.officer, _plan(call_world), clock())
    publish_call(call_world.officer, upcoming, clock())
    with pytest.raises(ValidationError, match="not opened yet"):
        close_call(call_world.officer, upcoming, clock())


def test_a_centre_call_belongs_to_the_hub_and_fills_no_intake(
        call_world: CallWorld, clock) -> None:
    hub = ensure_hub(clock())
    admin = call_world.make_user("root@example.org", roles=(Role.ADMIN,))
    with pytest.raises(ValidationErrors) as refused:
        create_call(admin, _plan(call_world, kind="centre"), clock())
    assert _fields(refused.value) == {"centre_id", "intake_id"}
    call = create_call(admin, _plan(call_world, kind="centre", centre_id=hub.id,
                                    intake_id=None, code="EOI-2026"), clock())
    assert (call.kind, call.centre_id, call.intake_id) == ("centre", hub.id, None)
    with pytest.raises(PermissionDenied):  # Pat is an officer of AFR, not of the hub
        create_call(call_world.officer, _plan(call_world, kind="centre", centre_id=hub.id,
                                              intake_id=None, code="EOI-2027"), clock())
