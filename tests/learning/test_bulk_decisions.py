"""Deciding several requests to join at once: one event per learner, in one transaction,
all of them or none; the roster's form shows each wrong request's error next to it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.errors import DomainError, PermissionDenied, ValidationError
from app.extensions import db
from app.learning.models import Enrolment
from app.learning.services import decide_enrolment, decide_enrolments, enrol
from app.records.models import Event
from tests.conftest import committed, login

MARATHON = "gmp-vaccine-marathon"


@pytest.fixture
def asking(staffed, make_user, clock) -> list[Enrolment]:
    """Four learners ask to join the marathon, which takes requests."""
    course = staffed[MARATHON]
    requests = [enrol(make_user(f"asker{n}@example.org", name=f"Asker {n}"), course, clock())
                for n in range(4)]
    db.session.commit()
    assert {r.status for r in requests} == {"requested"}
    return requests


def _events(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(Event)
                             .where(Event.action == action)) or 0


def test_one_event_per_learner_accepted(staffed, asking, people, clock) -> None:
    chosen = {r.id: "" for r in asking[:3]}
    assert decide_enrolments(people["ivan"], staffed[MARATHON], chosen, accept=True,
                             now=clock()) == 3
    assert [r.status for r in asking] == ["active", "active", "active", "requested"]
    created = db.session.scalars(select(Event).where(Event.action == "enrolment.created")
                                 .where(Event.actor_id == people["ivan"].id)).all()
    assert sorted(e.learner_id or 0 for e in created) == sorted(r.user_id for r in asking[:3])


def test_declining_needs_every_reason_and_changes_nothing_without(staffed, asking, people,
                                                                  clock) -> None:
    reasons = {asking[0].id: "Not in the programme", asking[1].id: " "}
    with pytest.raises(ValidationError):
        decide_enrolments(people["ivan"], staffed[MARATHON], reasons, accept=False,
                          now=clock())
    assert {r.status for r in asking} == {"requested"} and _events("enrolment.declined") == 0
    reasons[asking[1].id] = "Apply through your employer"
    assert decide_enrolments(people["ivan"], staffed[MARATHON], reasons, accept=False,
                             now=clock()) == 2
    assert [r.decision_reason for r in asking[:2]] == ["Not in the programme",
                                                       "Apply through your employer"]
    assert _events("enrolment.declined") == 2


def test_a_request_decided_meanwhile_refuses_the_batch(staffed, asking, people,
                                                       clock) -> None:
    decide_enrolment(people["grace"], asking[2], staffed[MARATHON], accept=True, reason="",
                     now=clock())
    before = _events("enrolment.created")
    with pytest.raises(DomainError, match="decided already"):
        decide_enrolments(people["ivan"], staffed[MARATHON], {r.id: "" for r in asking},
                          accept=True, now=clock())
    assert [r.status for r in asking] == ["requested", "requested", "active", "requested"]
    assert _events("enrolment.created") == before


def test_only_the_courses_requests_and_only_its_instructors(staffed, asking, people,
                                                            clock) -> None:
    gxp = staffed["gxp-standard-practice"]
    with pytest.raises(DomainError, match="not for this course"):
        decide_enrolments(people["ivan"], gxp, {asking[0].id: ""}, accept=True, now=clock())
    with pytest.raises(PermissionDenied):
        decide_enrolments(people["olu"], staffed[MARATHON], {asking[0].id: ""}, accept=True,
                          now=clock())
    with pytest.raises(ValidationError):
        decide_enrolments(people["ivan"], staffed[MARATHON], {}, accept=True, now=clock())


def _status(enrolment: Enrolment) -> str:
    return committed(select(Enrolment.status).where(Enrolment.id == enrolment.id))


def test_the_roster_decides_the_ticked_requests(client, staffed, asking) -> None:
    login(client, "ivan@example.org")
    url = f"/learning/{MARATHON}/requests"
    roster = client.get(f"/learning/{MARATHON}/roster").get_data(as_text=True)
    assert roster.count('type="checkbox" name="request"') == 4 and "data-select-all" in roster
    refused = client.post(url, data={"decision": "decline",
                                     "request": [str(asking[0].id), str(asking[1].id)],
                                     f"reason-{asking[0].id}": "Full this year"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert (f'<p class="field-error" id="reason-{asking[1].id}-error">Say why this request '
            'is declined') in page
    assert f'id="reason-{asking[0].id}-error"' not in page
    assert 'value="Full this year"' in page  # what was typed stays
    assert page.count(" checked>") == 2  # and what was ticked
    assert {_status(r) for r in asking} == {"requested"}
    nothing = client.post(url, data={"decision": "accept"}).get_data(as_text=True)
    assert "Tick the requests to accept or decline." in nothing
    accepted = client.post(url, data={"decision": "accept",
                                      "request": [str(r.id) for r in asking[1:]]})
    assert accepted.status_code == 302
    assert "3 requests accepted." in client.get(accepted.headers["Location"]).get_data(
        as_text=True)
    assert [_status(r) for r in asking] == ["requested", "active", "active", "active"]


def test_strangers_cannot_decide(client, staffed, asking) -> None:
    login(client, "olu@example.org")
    response = client.post(f"/learning/{MARATHON}/requests",
                           data={"decision": "accept", "request": [str(asking[0].id)]})
    assert response.status_code == 403
    assert _status(asking[0]) == "requested"
