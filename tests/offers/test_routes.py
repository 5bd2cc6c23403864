"""The offer pages through the client: who may see and answer, the confirmation step, the
PDFs' headers, the officers' list, and a centre created from a centre application."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.calls.models import ApplicationPersonal, Call
from app.centres.models import Centre, CentreRole
from app.core.roles import Role
from app.extensions import db
from app.records.models import Event
from tests.conftest import count_queries, login
from tests.offers.deciding import decide
from tests.offers.letters import pdf_text


@pytest.fixture
def offered(call_world):
    w = call_world
    amina = w.make_user("amina@example.org", name="Amina Yusuf", country="NG")
    kofi = w.make_user("kofi@example.org", name="Kofi Mensah", country="GH")
    accepted = w.apply(amina)
    waiting = w.apply(kofi, nationality="GH", organisation="Ghana Vaccines")
    decide(w, accepted=[accepted], waitlisted=[waiting])
    return w, accepted, waiting


def test_the_applicant_reads_their_offer_and_others_are_refused(client, offered) -> None:
    w, accepted, waiting = offered
    login(client, "amina@example.org")
    page = client.get(f"/offers/{accepted.id}")
    assert page.status_code == 200
    assert "no-store" in page.headers["Cache-Control"]
    html = page.get_data(as_text=True)
    assert "Confirm my place" in html and "Decline the place" in html
    assert "Invitation letter for a visa" in html
    assert client.get(f"/offers/{waiting.id}").status_code == 403
    assert client.get(f"/offers/{waiting.id}/letter.pdf").status_code == 403
    assert client.get(f"/offers/{waiting.id}/visa-letter.pdf").status_code == 403
    assert client.post(f"/offers/{waiting.id}/decline", data={"sure": "yes"}).status_code == 403
    assert client.get("/offers/999999").status_code == 404
    assert client.get(f"/offers/call/{w.call.id}").status_code == 403


@pytest.mark.parametrize("email", ["rosa@example.org", "luis@example.org"])
def test_reviewers_and_other_centres_see_no_offer(client, offered, email) -> None:
    w, accepted, _waiting = offered
    login(client, email)
    assert client.get(f"/offers/{accepted.id}").status_code == 403
    assert client.get(f"/offers/{accepted.id}/visa-letter.pdf").status_code == 403
    assert client.get(f"/offers/call/{w.call.id}").status_code == 403


def test_the_letters_are_pdf_downloads(client, offered) -> None:
    _w, accepted, _waiting = offered
    login(client, "amina@example.org")
    for url, words in ((f"/offers/{accepted.id}/letter.pdf", "Offer of a place"),
                       (f"/offers/{accepted.id}/visa-letter.pdf", f"P{accepted.id:07d}")):
        answer = client.get(url)
        assert answer.status_code == 200 and answer.mimetype == "application/pdf"
        assert answer.headers["Content-Disposition"].startswith("attachment;")
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in answer.headers["Cache-Control"]
        assert words in pdf_text(answer.data)
    visa = pdf_text(client.get(f"/offers/{accepted.id}/visa-letter.pdf").data)
    assert "AMINA YUSUF" in visa and "Nigeria" in visa and "IBDM June 2026" in visa


def test_the_visa_letter_is_gone_with_the_personal_data(client, offered) -> None:
    _w, accepted, _waiting = offered
    db.session.delete(db.session.get(ApplicationPersonal, accepted.id))
    db.session.commit()
    login(client, "amina@example.org")
    assert client.get(f"/offers/{accepted.id}/visa-letter.pdf").status_code == 404
    assert "Invitation letter" not in client.get(f"/offers/{accepted.id}").get_data(True)


def test_declining_asks_first_then_offers_the_place_on(client, offered) -> None:
    _w, accepted, waiting = offered
    login(client, "amina@example.org")
    step = client.post(f"/offers/{accepted.id}/decline")
    assert step.status_code == 200 and "Decline the place?" in step.get_data(True)
    db.session.refresh(accepted)
    assert accepted.state == "accepted"
    done = client.post(f"/offers/{accepted.id}/decline", data={"sure": "yes"})
    assert done.status_code == 302
    db.session.expire_all()
    assert accepted.state == "declined" and waiting.state == "accepted"
    again = client.post(f"/offers/{accepted.id}/confirm", data={"sure": "yes"},
                        follow_redirects=True)
    assert "can no longer be answered" in again.get_data(True)


def test_confirming_after_the_deadline_is_refused(client, offered) -> None:
    w, accepted, _waiting = offered
    login(client, "amina@example.org")
    w.clock.advance(days=15)
    page = client.get(f"/offers/{accepted.id}").get_data(True)
    assert "Confirm my place" not in page
    answer = client.post(f"/offers/{accepted.id}/confirm", data={"sure": "yes"},
                         follow_redirects=True)
    assert "can no longer be answered" in answer.get_data(True)
    db.session.refresh(accepted)
    assert accepted.state == "accepted"


def test_the_officer_lists_the_offers_and_the_waitlist(client, offered) -> None:
    w, accepted, _waiting = offered
    login(client, "pat@example.org")
    page = client.get(f"/offers/call/{w.call.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Amina Yusuf" in html and "Kofi Mensah" in html and "The waitlist, in order" in html
    assert client.get(f"/offers/{accepted.id}").status_code == 200
    assert client.get(f"/offers/{accepted.id}/visa-letter.pdf").status_code == 200
    assert client.post(f"/offers/{accepted.id}/confirm", data={"sure": "yes"}
                       ).status_code == 403


def test_the_officers_page_runs_the_same_statements_for_few_and_many(client, call_world
                                                                    ) -> None:
    w = call_world
    login(client, "pat@example.org")

    def statements(n: int) -> int:
        for application in w.applications:
            application.state = "submitted"
        extra = [w.apply(nationality="KE", organisation=f"o{len(w.applications)}")
                 for _ in range(n)]
        db.session.commit()
        for i, application in enumerate(w.applications):
            if i % 2:
                application.state, application.waitlist_rank = "waitlisted", i
            else:
                application.state = "accepted"
                application.respond_by = w.clock() + timedelta(days=3)
        w.call.status = "decided"
        db.session.commit()
        assert extra
        client.get(f"/offers/call/{w.call.id}")  # the first request reads what is cached
        with count_queries() as seen:
            assert client.get(f"/offers/call/{w.call.id}").status_code == 200
        return len(seen)

    few = statements(2)
    assert few == statements(12) and few <= 6


@pytest.fixture
def centre_call(call_world):
    w = call_world
    call = Call(centre_id=w.network.centre.id, kind="centre", code="EOI-2026",
                title="Expressions of interest: new centres", opens_at=w.call.opens_at,
                closes_at=w.call.closes_at, timezone="Asia/Seoul", places=2, status="published",
                created_at=w.clock(), form=[])
    db.session.add(call)
    db.session.commit()
    applicant = w.make_user("director@example.org", name="Dr Awa Diop", country="SN")
    application = w.apply(applicant, call=call, nationality="SN",
                          organisation="Institut Pasteur de Dakar", personal=False,
                          files=False, address="36 avenue Pasteur, Dakar",
                          website="https://pasteur.sn", contact_email="contact@pasteur.sn")
    decide(w, accepted=[application], call=call)
    admin = w.make_user("grace@example.org", name="Grace Admin", roles=(Role.ADMIN,))
    return w, call, application, applicant, admin


def test_the_network_admin_creates_the_centre_from_a_centre_application(client, centre_call
                                                                       ) -> None:
    _w, _call, application, applicant, _admin = centre_call
    login(client, "grace@example.org")
    assert "Create the centre from this application" in client.get(
        f"/offers/{application.id}").get_data(True)
    form = client.get(f"/offers/{application.id}/centre").get_data(as_text=True)
    for prefilled in ('value="IPD"', 'value="Institut Pasteur de Dakar"',
                      "36 avenue Pasteur, Dakar", 'value="https://pasteur.sn"',
                      'value="contact@pasteur.sn"', '<option selected value="SN">'):
        assert prefilled in form
    answer = client.post(f"/offers/{application.id}/centre", data={
        "code": "IPD", "name": "Institut Pasteur de Dakar", "country": "SN",
        "timezone": "Africa/Dakar", "languages": ["fr", "en"],
        "address": "36 avenue Pasteur, Dakar", "website": "https://pasteur.sn",
        "contact_email": "contact@pasteur.sn", "primary_colour": "#1d4f73",
        "accent_colour": "#2f7d4f", "active": "y", "make_admin": "y"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/centres/IPD/")
    centre = db.session.scalars(select(Centre).where(Centre.code == "IPD")).one()
    assert db.session.get(CentreRole, (centre.id, applicant.id, "centre_admin")) is not None
    [event] = db.session.scalars(select(Event).where(Event.action == "offer.centre_created"))
    assert event.subject_id == str(application.id) and event.details["centre"] == "IPD"
    page = client.get(f"/offers/{application.id}").get_data(as_text=True)
    assert "was created: IPD" in page and "Create the centre" not in page
    again = client.post(f"/offers/{application.id}/centre", data={
        "code": "IPD2", "name": "Again", "country": "SN", "timezone": "UTC",
        "languages": ["en"], "primary_colour": "#1d4f73", "accent_colour": "#2f7d4f"})
    assert "created once" in again.get_data(as_text=True)


def test_only_the_network_admin_creates_a_centre(client, centre_call) -> None:
    w, _call, application, _applicant, _admin = centre_call
    for email in ("director@example.org", "pat@example.org", "nadia@example.org"):
        login(client, email)
        assert client.get(f"/offers/{application.id}/centre").status_code == 403
        client.post("/auth/logout")
    trainee = w.apply(nationality="KE", organisation="Kenya Biovax")
    login(client, "grace@example.org")
    assert client.get(f"/offers/{trainee.id}/centre").status_code == 404
