"""Training record pages, exports and the event log, through the test client."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.core.roles import Role
from app.extensions import db
from app.records.models import Event
from tests.conftest import (
    DEFAULT_PASSWORD,
    append_only_guard_lifted,
    committed_refusals,
    count_queries,
    login,
)


@pytest.fixture
def people(make_user):
    return {
        "amina": make_user("amina@example.org", name="Amina Yusuf", country="NG",
                           organisation="Biovaccines Nigeria"),
        "kim": make_user("kim@example.org", name="Kim Min-jun", country="KR"),
        "grace": make_user("grace@example.org", name="Grace Admin", roles=(Role.ADMIN,)),
        "ivan": make_user("ivan@example.org", name="Ivan Instructor",
                          roles=(Role.INSTRUCTOR, Role.ASSESSOR)),
    }


def test_who_may_see_a_training_record(client, people) -> None:
    url = f"/records/learners/{people['amina'].id}"
    assert client.get(url).status_code == 302  # anonymous: log in first
    login(client, "amina@example.org")
    assert client.get(url).status_code == 200
    assert client.get(f"/records/learners/{people['kim'].id}").status_code == 403
    assert client.get(f"/records/learners/{people['kim'].id}/record.pdf").status_code == 403
    assert client.get(f"/records/learners/{people['kim'].id}/record.csv").status_code == 403
    client.post("/auth/logout")
    login(client, "ivan@example.org")  # staff of no course the learner takes
    assert client.get(url).status_code == 403
    client.post("/auth/logout")
    login(client, "grace@example.org")
    assert client.get(url).status_code == 200
    assert client.get("/records/learners/99999").status_code == 404


def test_an_admin_signs_a_review_and_it_shows_everywhere(client, people) -> None:
    amina = people["amina"]
    login(client, "grace@example.org")
    url = f"/records/learners/{amina.id}"
    page = client.get(url).get_data(as_text=True)
    assert "No training has been recorded yet" in page
    assert "Reviewed: training record complete and accurate" in page

    wrong = client.post(url, data={"password": "not my password", "confirm": "y"})
    assert "The password is not right" in wrong.get_data(as_text=True)
    assert committed_refusals() == 1  # kept in the chain, though nothing was signed
    unconfirmed = client.post(url, data={"password": DEFAULT_PASSWORD})
    assert "Confirm that you are signing." in unconfirmed.get_data(as_text=True)

    signed = client.post(url, data={"password": DEFAULT_PASSWORD, "confirm": "y"})
    assert signed.status_code == 302
    manifestation = ("Signed by Grace Admin on 2026-03-02 at 09:00 UTC: Reviewed: training "
                     "record complete and accurate")
    assert manifestation in client.get(url).get_data(as_text=True)

    exported = client.get(f"{url}/record.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0] == ["learner", "Amina Yusuf", "amina@example.org", "", "", ""]
    assert rows[1][3] == "centre"
    assert rows[2][1] == "Electronic signature" and rows[2][5] == manifestation
    assert rows[-1][0].startswith(
        "Audit chain verified at export on Mon 2 Mar 2026, 09:00 (UTC): ")

    pdf = client.get(f"{url}/record.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Training record" in text and "Amina Yusuf" in text and "Nigeria" in text
    assert "Signed by Grace Admin" in text
    assert "Audit chain verified at export" in " ".join(text.split())  # justified: spaced


def test_exports_say_when_the_chain_is_broken(client, people) -> None:
    login(client, "amina@example.org")
    amina_id = people["amina"].id
    first = db.session.scalar(sa.select(Event).order_by(Event.seq).limit(1))
    assert first is not None
    first_id = first.id
    db.session.close()
    with append_only_guard_lifted(), db.engine.begin() as conn:
        conn.execute(sa.update(Event).where(Event.id == first_id).values(reason="edited"))
    body = client.get(f"/records/learners/{amina_id}/record.csv").get_data(as_text=True)
    assert "AUDIT CHAIN NOT VERIFIED at export" in body
    assert f"event {first_id} (number 1): its content does not match its hash" in body


def test_learners_cannot_sign_their_own_review_or_anyone_elses(client, people) -> None:
    login(client, "amina@example.org")
    url = f"/records/learners/{people['amina'].id}"
    assert "Sign a review" not in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"password": DEFAULT_PASSWORD, "confirm": "y"})
    assert response.status_code == 403


def test_event_log_for_admins_with_filters_and_streamed_csv(client, people) -> None:
    login(client, "amina@example.org")
    assert client.get("/records/events").status_code == 403
    assert client.get("/records/events.csv").status_code == 403
    client.post("/auth/logout")
    login(client, "grace@example.org")
    page = client.get("/records/events").get_data(as_text=True)
    assert "user.created" in page and "login.started" in page
    only_logins = client.get("/records/events?action=login.started").get_data(as_text=True)
    assert "login.started" in only_logins and "user.created</span>" not in only_logins
    by_actor = client.get("/records/events?actor=amina").get_data(as_text=True)
    assert "<td>Amina Yusuf</td>" in by_actor and "<td>Grace Admin</td>" not in by_actor
    future = client.get("/records/events?since=2027-01-01").get_data(as_text=True)
    assert "No events match." in future
    response = client.get("/records/events.csv?action=user.created")
    assert response.is_streamed
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["seq", "time (UTC)", "actor", "action"]
    assert {row[3] for row in rows[1:]} == {"user.created"} and len(rows) == 5


def test_event_log_query_count_does_not_grow_with_events(client, people, make_user) -> None:
    login(client, "grace@example.org")

    def queries() -> int:
        with count_queries() as statements:
            assert client.get("/records/events").status_code == 200
        return len(statements)

    few = queries()
    for _ in range(15):
        make_user()
    assert queries() == few


def test_admin_deactivates_and_reactivates_with_a_reason(client, people) -> None:
    amina = people["amina"]
    login(client, "grace@example.org")
    url = f"/admin/users/{amina.id}/active"
    refused = client.post(url, data={"s-reason": ""})
    assert "Say why the account is deactivated." in refused.get_data(as_text=True)
    assert client.post(url, data={"s-reason": "Left the programme"}).status_code == 302
    db.session.refresh(amina)
    assert amina.active is False
    client.post("/auth/logout")
    assert login(client, "amina@example.org").status_code == 200  # cannot log in
    login(client, "grace@example.org")
    assert client.post(url, data={"s-reason": "Back"}).status_code == 302
    db.session.refresh(amina)
    assert amina.active is True
