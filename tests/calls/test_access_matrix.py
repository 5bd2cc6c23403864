"""The access matrix of calls: every GET page of the calls, applications, reviews, selection
and offers blueprints (and the call's funnel report) that takes a call or an application,
opened by the applicants, reviewers and officers of two centres, and by a stranger and an
anonymous visitor, against each centre's call and application.

Each centre, AFR and LAT, has a decided call with one accepted application, a programme
officer, and a reviewer assigned to that application. A cell succeeds when the page answers
200. ALLOWED says, per page, which of the target centre's own people may succeed; any other
success fails the test: nothing across centres, nothing for a stranger, and an applicant
sees only their own application. Every page must also succeed for at least one of its
allowed viewers, so that a page the matrix cannot reach (a 404 for a bad argument) does
not pass by refusing everyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.auth.models import User
from app.calls.models import Application, Call, CallReviewer, ReviewAssignment
from app.centres.models import CentreRole
from app.extensions import db
from tests.calls.world import CallWorld
from tests.conftest import login

BLUEPRINTS = ("calls.", "applications.", "reviews.", "selection.", "offers.",
              "reports.call_funnel")
# Open to anyone: the published call's public page, and the page that starts an application
# to it (what is needed, and the button; starting needs an account).
PUBLIC = {"calls.call_page", "applications.start"}
OFFICER = frozenset({"officer"})
# Who of the target's own centre may open each page (the network administrator aside).
ALLOWED: dict[str, frozenset[str]] = {
    "calls.overview": frozenset({"officer", "reviewer"}),
    "applications.form": frozenset({"applicant"}),
    "applications.document": frozenset({"applicant", "officer", "reviewer"}),
    "applications.withdraw": frozenset({"applicant"}),
    "applications.view": frozenset({"applicant", "officer", "reviewer"}),
    "reviews.review": frozenset({"reviewer", "officer"}),
    "reviews.download": frozenset({"reviewer", "officer"}),
    "reviews.conflict": frozenset({"reviewer"}),
    "offers.offer": frozenset({"applicant", "officer"}),
    "offers.letter": frozenset({"applicant", "officer"}),
    "offers.visa": frozenset({"applicant", "officer"}),
}
# Pages that answer no one in the matrix's state, with the reason.
UNREACHABLE = {
    # Creating a centre from an application is for a centre call's accepted application
    # and the network administrator only; tests/offers covers it.
    "offers.centre": "a trainee call",
    # Withdrawing ends with the decision.
    "applications.withdraw": "the call is decided",
    # A conflict is declared before the reviewer's own score, and before the decision.
    "reviews.conflict": "the call is decided",
    # Closing is for a call still open.
    "calls.close": "the call is decided",
}
VALUES = {"file_key": "cv", "name": "funnel"}


@dataclass
class Side:
    call: Call
    application: Application
    people: dict[str, User]  # officer, reviewer, applicant


def _side(world: CallWorld, centre_id: int, call: Call, code: str) -> Side:
    now = world.clock()
    low = code.lower()
    officer = world.make_user(f"officer-{low}@example.org", name=f"Officer {code}")
    reviewer = world.make_user(f"reviewer-{low}@example.org", name=f"Reviewer {code}")
    applicant = world.make_user(f"applicant-{low}@example.org", name=f"Applicant {code}",
                                country="NG")
    db.session.add(CentreRole(centre_id=centre_id, user_id=officer.id,
                              role="programme_officer", assigned_at=now))
    db.session.add(CallReviewer(call_id=call.id, user_id=reviewer.id, added_at=now))
    application = world.apply(applicant, call=call, state="accepted")
    application.decided_at = now
    application.respond_by = now + timedelta(days=14)
    db.session.add(ReviewAssignment(application_id=application.id, reviewer_id=reviewer.id,
                                    assigned_at=now))
    call.status, call.decided_at = "decided", now
    db.session.commit()
    return Side(call, application,
                {"officer": officer, "reviewer": reviewer, "applicant": applicant})


@pytest.fixture
def sides(call_world: CallWorld) -> dict[str, Side]:
    world = call_world
    other = Call(**{column.key: getattr(world.call, column.key)
                    for column in Call.__table__.columns
                    if column.key not in ("id", "centre_id", "intake_id", "code")},
                 centre_id=world.network.other.id, intake_id=None, code="LAT-2026")
    db.session.add(other)
    db.session.flush()
    return {"AFR": _side(world, world.network.centre.id, world.call, "AFR"),
            "LAT": _side(world, world.network.other.id, other, "LAT")}


def _pages(app: Flask) -> list[tuple[str, str]]:
    return sorted((rule.endpoint, rule.rule) for rule in app.url_map.iter_rules()
                  if "GET" in (rule.methods or ()) and rule.arguments
                  and rule.endpoint.startswith(BLUEPRINTS))


def _path(rule: str, side: Side) -> str:
    values = {"call_id": side.call.id, "application_id": side.application.id, **VALUES}
    path = rule
    for name, value in values.items():
        path = path.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
    assert "<" not in path, f"the matrix cannot fill {rule}"
    return path


def _open(client: FlaskClient, user: User | None, path: str) -> int:
    client.post("/auth/logout")
    if user is not None:
        login(client, user.email)
    return client.get(path).status_code


def test_the_matrix_names_only_pages_that_exist(app: Flask) -> None:
    """A renamed page would otherwise fall back to "officers only" unnoticed."""
    pages = {endpoint for endpoint, _rule in _pages(app)}
    assert PUBLIC | set(ALLOWED) | set(UNREACHABLE) <= pages


def test_the_call_access_matrix_has_no_unexpected_success(
        app: Flask, client: FlaskClient, sides: dict[str, Side],
        make_user: Any) -> None:
    outsiders: list[tuple[str, User | None]] = [
        ("stranger", make_user("stranger@example.org", name="A Stranger")),
        ("anonymous", None)]
    unexpected: list[str] = []
    reached: set[str] = set()
    for endpoint, rule in _pages(app):
        allowed = ALLOWED.get(endpoint, OFFICER)
        for target_code, target in sides.items():
            path = _path(rule, target)
            for viewer_code, viewer_side in sides.items():
                for role, person in viewer_side.people.items():
                    status = _open(client, person, path)
                    own = viewer_code == target_code
                    if status == 200:
                        if endpoint in PUBLIC or (own and role in allowed):
                            reached.add(endpoint)
                        else:
                            unexpected.append(f"{role} of {viewer_code} opened {endpoint} "
                                              f"of {target_code}: {path}")
            for label, outsider in outsiders:
                if _open(client, outsider, path) == 200 and endpoint not in PUBLIC:
                    unexpected.append(f"{label} opened {endpoint}: {path}")
    assert unexpected == []
    unreached = sorted(endpoint for endpoint, _rule in _pages(app)
                       if endpoint not in reached and endpoint not in UNREACHABLE)
    assert unreached == []
