"""Writing a call: create and change it (one form, every problem at once, a stale edit
refused), publish it once complete, close it early. Every change to a published call is an
audit event naming the settings that changed."""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.calls.checking import CallPlan, Placed, plan_problems, publish_problems
from app.calls.models import Application, Call
from app.calls.rules import call_phase
from app.centres.services import ensure_hub
from app.content.render import render_markdown
from app.core.auth import authorize
from app.core.countries import is_country_code
from app.core.errors import ValidationError, refuse_all
from app.core.i18n import LANGUAGES
from app.extensions import db
from app.intakes.models import Intake
from app.records.services import record_event

# The settings a plan writes, in the order a change event lists them.
SETTINGS = ("centre_id", "intake_id", "kind", "code", "title", "description", "opens_at",
            "closes_at", "timezone", "places", "languages", "eligibility", "form", "rubric",
            "quotas", "blind_review", "reviews_per_application", "disagreement_share",
            "confirm_days", "retention_months", "asks_travel_details")
# A changed value longer than this (as the event writes it) is named without its values.
SHORT = 120


def _errors(placed: list[Placed]) -> list[ValidationError]:
    return [ValidationError(_l(p.problem.message, **p.problem.values), field=p.where)
            for p in placed]


def check_plan(plan: CallPlan) -> list[Placed]:
    """The pure problems of a plan, with the app's countries, zones and languages."""
    return plan_problems(plan, known_country=is_country_code,
                         is_zone=lambda name: name in zoneinfo.available_timezones(),
                         languages=LANGUAGES)


def _stored_problems(plan: CallPlan, call: Call | None, now: datetime
                     ) -> list[ValidationError]:
    """The checks that read the database: the centre, the intake, the code, and what the
    call's applications hold on to."""
    errors: list[ValidationError] = []
    if plan.kind == "centre" and plan.centre_id != ensure_hub(now).id:
        errors.append(ValidationError(_l("A call for centres belongs to the hub."),
                                      field="centre_id"))
    if plan.intake_id is not None and db.session.scalar(select(Intake.centre_id).where(
            Intake.id == plan.intake_id)) != plan.centre_id:
        errors.append(ValidationError(_l("Choose an intake of the call's centre."),
                                      field="intake_id"))
    if plan.code.strip() and db.session.scalar(select(Call.id).where(
            Call.centre_id == plan.centre_id, Call.code == plan.code.strip(),
            Call.id != (call.id if call else 0))) is not None:
        errors.append(ValidationError(_l("Another call of this centre has this code."),
                                      field="code"))
    if call is None:
        return errors
    if call.status != "draft" and (plan.centre_id, plan.kind) != (call.centre_id, call.kind):
        errors.append(ValidationError(_l("A published call keeps its centre and who it is "
                                         "for."), field="centre_id"))
    if _has_applications(call):
        kinds = {f["key"]: f["kind"] for f in call.form}
        for definition in plan.form:
            if kinds.get(definition.get("key"), definition.get("kind")) != definition.get("kind"):
                errors.append(ValidationError(
                    _l("People have applied already: question %(key)s keeps its kind "
                       "(add a new question instead).", key=definition.get("key")),
                    field=f"form:{definition.get('key')}"))
    return errors


def _has_applications(call: Call) -> bool:
    return db.session.scalar(select(Application.id).where(Application.call_id == call.id)
                             .limit(1)) is not None


def _check(plan: CallPlan, call: Call | None, now: datetime) -> CallPlan:
    errors = _errors(check_plan(plan))
    errors += _stored_problems(plan, call, now)
    refuse_all(errors)
    return plan


def _values(plan: CallPlan) -> dict[str, Any]:
    return {
        "centre_id": plan.centre_id, "intake_id": plan.intake_id, "kind": plan.kind,
        "code": plan.code.strip(), "title": plan.title.strip(),
        "description": plan.description.replace("\r\n", "\n").strip(),
        "opens_at": plan.opens_at, "closes_at": plan.closes_at, "timezone": plan.timezone,
        "places": plan.places, "languages": list(plan.languages),
        "eligibility": dict(plan.eligibility), "form": [dict(f) for f in plan.form],
        "rubric": [dict(c) for c in plan.rubric], "quotas": dict(plan.quotas),
        "blind_review": plan.blind_review,
        "reviews_per_application": plan.reviews_per_application,
        "disagreement_share": plan.disagreement_share, "confirm_days": plan.confirm_days,
        "retention_months": plan.retention_months,
        "asks_travel_details": plan.asks_travel_details,
    }


def _write(call: Call, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        setattr(call, name, value)
    call.description_html = render_markdown(call.description)


def _as_event(value: Any) -> Any:
    """A setting as an event keeps it: times in ISO 8601 UTC, the rest as JSON has it."""
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _diff(call: Call, values: Mapping[str, Any]) -> dict[str, Any]:
    """The names of the settings that change, and their old and new values where short."""
    changed: list[str] = []
    shown: dict[str, Any] = {}
    for name in SETTINGS:
        old, new = getattr(call, name), values[name]
        if old == new:
            continue
        changed.append(name)
        old, new = _as_event(old), _as_event(new)
        if len(repr(old)) + len(repr(new)) <= SHORT:
            shown[name] = {"old": old, "new": new}
    return {"changed": changed, "values": shown}


def create_call(actor: User, plan: CallPlan, now: datetime) -> Call:
    authorize(actor, "calls.write", plan.centre_id)
    values = _values(_check(plan, None, now))
    call = Call(status="draft", created_at=now, created_by_id=actor.id, version=1)
    _write(call, values)
    db.session.add(call)
    db.session.flush()
    record_event("call.created", actor=actor, now=now, subject_type="call",
                 subject_id=call.id, details={"code": call.code, "title": call.title,
                                              "centre_id": call.centre_id, "kind": call.kind})
    return call


def change_call(actor: User, call: Call, plan: CallPlan, version: int | None,
                now: datetime) -> Call:
    """Save the author's changes, unless someone else saved the call since the author's
    page was read (`version`): then nothing is saved, and the page keeps what they wrote."""
    authorize(actor, "call.run", call)
    if version != call.version:
        raise ValidationError(_l("Someone else saved this call since you opened it. Your "
                                 "changes are below, not saved: open the call again in "
                                 "another tab to see theirs, then save yours."))
    if plan.centre_id != call.centre_id:
        authorize(actor, "calls.write", plan.centre_id)
    values = _values(_check(plan, call, now))
    diff = _diff(call, values)
    if not diff["changed"]:
        return call
    _write(call, values)
    call.version += 1
    call.changed_at = now
    db.session.flush()
    if call.status != "draft":
        record_event("call.changed", actor=actor, now=now, subject_type="call",
                     subject_id=call.id, details={"code": call.code, **diff})
    return call


def publish_call(actor: User, call: Call, now: datetime) -> Call:
    """Make a complete draft public."""
    authorize(actor, "call.run", call)
    if call.status != "draft":
        raise ValidationError(_l("This call is published already."))
    refuse_all(_errors(publish_problems(call)))
    call.status, call.published_at = "published", now
    call.version += 1
    db.session.flush()
    record_event("call.published", actor=actor, now=now, subject_type="call",
                 subject_id=call.id, details={
                     "code": call.code, "title": call.title, "places": call.places,
                     "opens_at": call.opens_at.isoformat(),
                     "closes_at": call.closes_at.isoformat(), "timezone": call.timezone})
    return call


def close_call(actor: User, call: Call, now: datetime) -> Call:
    """End an open call now: it takes no more submissions."""
    authorize(actor, "call.run", call)
    phase = call_phase(call.status, call.opens_at, call.closes_at, now)
    if phase == "upcoming":
        raise ValidationError(_l("This call has not opened yet: change its dates instead."))
    if phase != "open":
        raise ValidationError(_l("Only an open call can be closed."))
    old = call.closes_at
    call.closes_at = now
    call.version += 1
    call.changed_at = now
    db.session.flush()
    record_event("call.closed", actor=actor, now=now, subject_type="call", subject_id=call.id,
                 details={"code": call.code, "closes_at": {"old": old.isoformat(),
                                                           "new": now.isoformat()}})
    return call

