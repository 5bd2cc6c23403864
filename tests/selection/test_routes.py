"""The selection pages through the test client: who may see them, the board's table and its
statements with 10 and 200 applications, an override, and signing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.calls.models import Application, Call, CallDecision, SelectionOverride
from app.extensions import db
from tests.calls.world import CallWorld
from tests.conftest import committed, committed_refusals, count_queries, login
from tests.selection.scoring import score


def _scored(world: CallWorld, n: int) -> list[Application]:
    """n applications from five countries, each scored by Rosa and Ravi."""
    countries = ("NG", "KE", "GH", "RW", "UG")
    apps = [world.apply(nationality=countries[i % 5], organisation=f"Org {i % 7}")
            for i in range(n)]
    for i, app in enumerate(apps):
        score(app, world.reviewers[0], 5 + i % 10, world.clock())
        score(app, world.reviewers[1], 6 + i % 9, world.clock())
    return apps


def _close(world: CallWorld) -> None:
    world.clock.advance(days=30)  # type: ignore[attr-defined]


def test_the_board_is_the_officers_alone(client, call_world: CallWorld) -> None:
    apps = _scored(call_world, 3)
    call_id = call_world.call.id
    applicant = db.session.get(Application, apps[0].id)
    assert applicant is not None
    pages = [f"/selection/call/{call_id}", f"/selection/call/{call_id}/decide",
             f"/selection/call/{call_id}/applications/{apps[0].id}"]
    assert client.get(pages[0]).status_code == 302  # to the log-in page
    for email in ("luis@example.org", "rosa@example.org", applicant_email(applicant)):
        login(client, email)
        for page in pages:
            assert client.get(page).status_code == 403, (email, page)
        response = client.post(f"{pages[2]}", data={"outcome": "accepted", "reason": "x"})
        assert response.status_code == 403
        assert client.post(f"{pages[2]}/remove-override").status_code == 403
        assert client.post(pages[1], data={"password": "a long enough passphrase",
                                           "confirm": "y"}).status_code == 403
        client.post("/auth/logout")
    assert committed(select(func.count()).select_from(SelectionOverride)) == 0
    login(client, call_world.network.admin.email)  # Nadia, the centre's administrator
    assert client.get(pages[0]).status_code == 200


def applicant_email(application: Application) -> str:
    from app.auth.models import User

    user = db.session.get(User, application.applicant_id)
    assert user is not None
    return user.email


def test_unknown_calls_and_other_calls_applications_are_404(client, call_world) -> None:
    apps = _scored(call_world, 1)
    login(client, call_world.officer.email)
    assert client.get("/selection/call/999999").status_code == 404
    draft = call_world.apply(state="draft")
    assert client.get(f"/selection/call/{call_world.call.id}/applications/{draft.id}"
                      ).status_code == 404
    assert client.get(f"/selection/call/{call_world.call.id}/applications/{apps[0].id}"
                      ).status_code == 200


def test_the_board_shows_the_proposal_and_why(client, call_world: CallWorld) -> None:
    _scored(call_world, 9)
    for _ in range(3):  # three from Nigeria at the top: the third meets the cap of 2
        score(call_world.apply(nationality="NG"), call_world.reviewers[0], 15,
              call_world.clock())
    login(client, call_world.officer.email)
    page = client.get(f"/selection/call/{call_world.call.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "private, no-store"
    assert "country cap reached: Nigeria 2/2" in text
    assert "Selection board" in text and "Quotas by country" in text
    assert "12 applications shown of 12" in text
    filtered = client.get(f"/selection/call/{call_world.call.id}?show=accepted&country=KE")
    assert "applications shown of 12" in filtered.get_data(as_text=True)


@pytest.mark.parametrize("show", ["all", "waitlisted", "nonsense"])
def test_the_board_pages_its_table(client, call_world: CallWorld, show: str) -> None:
    _scored(call_world, 3)
    login(client, call_world.officer.email)
    assert client.get(f"/selection/call/{call_world.call.id}?show={show}&page=7"
                      ).status_code == 200


def _board_statements(client, world: CallWorld) -> int:
    """The statements of a board request, the viewer's centres read once already."""
    counts = []
    for _ in range(2):
        db.session.expire_all()  # the call and the viewer are read afresh each time
        with count_queries() as statements:
            assert client.get(f"/selection/call/{world.call.id}").status_code == 200
        counts.append(len(statements))
    return counts[-1]


def test_the_boards_statements_do_not_grow_with_the_applications(client, call_world) -> None:
    _scored(call_world, 10)
    login(client, call_world.officer.email)
    small = _board_statements(client, call_world)
    _scored(call_world, 190)
    large = _board_statements(client, call_world)
    assert large == small <= 7, (small, large)


def test_an_override_with_its_reason_from_the_page(client, call_world: CallWorld) -> None:
    apps = _scored(call_world, 6)
    login(client, call_world.officer.email)
    url = f"/selection/call/{call_world.call.id}/applications/{apps[0].id}"
    refused = client.post(url, data={"outcome": "regretted", "reason": ""})
    assert refused.status_code == 200 and "Give the committee" in refused.get_data(as_text=True)
    response = client.post(url, data={"outcome": "regretted", "reason": "Left the company"})
    assert response.status_code == 302
    assert committed(select(SelectionOverride.outcome)) == "regretted"
    page = client.get(url).get_data(as_text=True)
    assert "Left the company" in page and "Remove the override" in page
    assert client.post(f"{url}/remove-override").status_code == 302
    assert committed(select(func.count()).select_from(SelectionOverride)) == 2  # both kept
    page = client.get(url).get_data(as_text=True)
    assert "Back to the proposal" in page and "Remove the override" not in page


def test_an_open_call_cannot_be_decided(client, call_world: CallWorld) -> None:
    _scored(call_world, 2)
    login(client, call_world.officer.email)
    url = f"/selection/call/{call_world.call.id}/decide"
    assert "once the call has closed" in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"password": "a long enough passphrase", "confirm": "y"})
    assert "once the call has closed" in response.get_data(as_text=True)
    assert committed(select(CallDecision.id)) is None
    call_world.call.status = "draft"
    db.session.commit()
    client.post(url, data={"password": "a long enough passphrase", "confirm": "y"})
    assert committed(select(CallDecision.id)) is None


def test_signing_the_decision(client, call_world: CallWorld) -> None:
    _scored(call_world, 6)
    _close(call_world)
    login(client, call_world.officer.email)
    url = f"/selection/call/{call_world.call.id}/decide"
    page = client.get(url).get_data(as_text=True)
    assert "Selection approved" in page and "Waitlist, in order" in page
    wrong = client.post(url, data={"password": "wrong", "confirm": "y"})
    assert wrong.status_code == 200 and "nothing was signed" in wrong.get_data(as_text=True)
    assert committed_refusals() == 1 and committed(select(CallDecision.id)) is None
    signed = client.post(url, data={"password": "a long enough passphrase", "confirm": "y"})
    assert signed.status_code == 302
    assert committed(select(Call.status)) == "decided"
    after = client.get(url).get_data(as_text=True)
    assert "Signed by Pat Officer" in after and "Sign</button>" not in after
    again = client.post(url, data={"password": "a long enough passphrase", "confirm": "y"})
    assert "decided once" in again.get_data(as_text=True)
    board = client.get(f"/selection/call/{call_world.call.id}").get_data(as_text=True)
    assert "Decided on" in board and "Waitlisted</dt><dd>2</dd>" in board
