"""The applying pages through the client: the form and its saves, uploads and downloads,
handing in, the status and withdrawing, the officers' pages, and everyone else refused."""

from __future__ import annotations

import io
import re

from flask import Flask
from sqlalchemy import func, select

from app.calls.hooks import PUBLIC_CALL_LINKS
from app.calls.models import Application, ApplicationFile
from app.extensions import db
from tests.applications.helpers import (
    ANSWERS,
    PASSPORT,
    PERSONAL,
    STANDARD,
    applicant_of,
    filled,
    found,
)
from tests.calls.world import CLOSES, pdf_bytes
from tests.conftest import committed, count_queries, login


def _everything(version: int) -> dict[str, str]:
    return {"version": str(version), **STANDARD, **PERSONAL,
            **{f"q-{key}": value for key, value in ANSWERS.items()}}


def _started(client, call_world, email: str = "ada@example.org") -> Application:
    call_world.make_user(email, name="Ada Applicant", country="NG",
                         organisation="Biovaccines Nigeria")
    login(client, email)
    answer = client.post(f"/applications/new/{call_world.call.id}")
    assert answer.status_code == 302
    return found(db.session.scalar(select(Application).where(
        Application.id == int(answer.location.rsplit("/", 1)[-1]))))


def test_the_start_page_asks_a_visitor_to_log_in_and_a_member_to_start(client, call_world
                                                                        ) -> None:
    page = client.get(f"/applications/new/{call_world.call.id}").get_data(as_text=True)
    assert "Log in or create an account to apply" in page
    assert f"next=/applications/new/{call_world.call.id}" in page.replace("%2F", "/")
    assert "Deadline: Tue 31 Mar 2026, 23:59 (Asia/Seoul)" in page
    call_world.make_user("ada@example.org", country="NG").timezone = "Africa/Lagos"
    db.session.commit()
    login(client, "ada@example.org")
    page = client.get(f"/applications/new/{call_world.call.id}").get_data(as_text=True)
    assert "Start my application" in page
    assert "Your time: Tue 31 Mar 2026, 15:59 (Africa/Lagos)" in page


def test_the_public_call_page_links(app: Flask, call_world) -> None:
    from flask_login import AnonymousUserMixin

    (hook,) = PUBLIC_CALL_LINKS.all(app)
    with app.test_request_context(f"/calls/{call_world.call.id}"):
        (visitor,) = hook(call_world.call, AnonymousUserMixin())
        assert (visitor.endpoint, visitor.values) == ("auth.login",
                                                      {"next": f"/calls/{call_world.call.id}"})
        user = call_world.make_user()
        assert str(hook(call_world.call, user)[0].label) == "Apply"
        application = call_world.apply(user, state="draft")
        assert str(hook(call_world.call, user)[0].label) == "Continue your application"
        application.state = "submitted"
        assert str(hook(call_world.call, user)[0].label) == "See your application"


def test_starting_twice_opens_the_same_application(client, call_world) -> None:
    application = _started(client, call_world)
    again = client.post(f"/applications/new/{call_world.call.id}")
    assert again.location.endswith(f"/applications/{application.id}")
    assert committed(select(func.count()).select_from(Application)) == 1


def test_the_form_is_prefilled_and_lists_what_is_missing(client, call_world) -> None:
    application = _started(client, call_world)
    page = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert '<option value="NG" selected>Nigeria</option>' in page
    assert 'value="Biovaccines Nigeria"' in page
    assert 'href="#field-q-cv"' in page and 'href="#field-experience_years"' in page
    assert "deleted 12 months after the call closes" in page
    assert "Answer the questions about you" in page


def test_an_autosave_in_json_keeps_its_answers_and_reports_the_wrong_ones(client, call_world
                                                                          ) -> None:
    application = _started(client, call_world)
    answer = client.post(f"/applications/{application.id}/save",
                         data={"version": "1", "q-role": "Line lead", "nationality": "KR",
                               "experience_years": "lots"},
                         headers={"Accept": "application/json"})
    assert answer.status_code == 422
    body = answer.get_json()
    assert body["version"] == 2 and set(body["problems"]) == {"experience_years"}
    assert "Korea" in body["panels"] and "high-income" in body["panels"]
    saved = committed(select(Application.answers).where(Application.id == application.id))
    assert saved == {"role": "Line lead"}
    stale = client.post(f"/applications/{application.id}/save",
                        data={"version": "1", "q-role": "Old page"},
                        headers={"Accept": "application/json"})
    assert stale.status_code == 409 and stale.get_json()["stale"] is True
    assert stale.get_json()["version"] == 2
    assert committed(select(Application.answers).where(
        Application.id == application.id)) == {"role": "Line lead"}


def test_a_stale_form_without_script_keeps_what_was_typed(client, call_world) -> None:
    application = _started(client, call_world)
    client.post(f"/applications/{application.id}/save", data={"version": "1", "q-role": "A"})
    page = client.post(f"/applications/{application.id}/save",
                       data={"version": "1", "q-role": "Typed on the old page"})
    assert page.status_code == 409
    text = page.get_data(as_text=True)
    assert 'value="Typed on the old page"' in text and "saved from another page" in text
    assert 'name="version" id="version" value="2"' in text


def test_the_whole_form_with_its_files_then_handing_in(client, call_world) -> None:
    application = _started(client, call_world)
    data = {**_everything(1), "q-cv": (io.BytesIO(pdf_bytes()), "My CV.pdf"),
            "q-endorsement": (io.BytesIO(pdf_bytes()), "letter.pdf")}
    saved = client.post(f"/applications/{application.id}/save", data=data,
                        content_type="multipart/form-data")
    assert saved.status_code == 302
    page = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "Nothing: every question is answered" in page and "you are eligible" in page
    handed = client.post(f"/applications/{application.id}/submit", data={})
    assert handed.status_code == 302
    page = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "Status: Submitted" in page and 'aria-current="step">Submitted' in page
    assert "Withdraw this application" in page and "application-form" not in page


def test_handing_in_lists_every_reason(client, call_world) -> None:
    application = _started(client, call_world)
    page = client.post(f"/applications/{application.id}/submit",
                       data={"version": "1", "nationality": "KR"})
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert "Missing: CV (PDF)" in text and "Missing: Current job title" in text
    assert "citizens of a low- or middle-income country; South Korea is high-income" in text
    assert committed(select(Application.nationality)) == "KR"  # the save on the way stays
    call_world.clock.current = CLOSES
    closed = client.post(f"/applications/{application.id}/submit", data={})
    assert closed.status_code == 422
    assert "The deadline has passed" in closed.get_data(as_text=True)
    assert committed(select(Application.state)) == "draft"


def test_uploads_are_checked_and_downloads_are_attachments(client, call_world) -> None:
    application = _started(client, call_world)
    refused = client.post(f"/applications/{application.id}/files/cv",
                          data={"file": (io.BytesIO(b"<script>alert(1)</script>"), "cv.pdf")},
                          headers={"Accept": "application/json"},
                          content_type="multipart/form-data")
    assert refused.status_code == 422 and "not a PDF" in refused.get_json()["error"]
    kept = client.post(f"/applications/{application.id}/files/cv",
                       data={"file": (io.BytesIO(pdf_bytes()), "../../etc/cv.pdf")},
                       headers={"Accept": "application/json"},
                       content_type="multipart/form-data")
    assert kept.status_code == 200 and kept.get_json()["filename"] == "cv.pdf"
    download = client.get(f"/applications/{application.id}/files/cv")
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
    assert download.headers["Content-Disposition"] == 'attachment; filename="cv.pdf"'
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download.headers["Cache-Control"]
    assert client.get(f"/applications/{application.id}/files/endorsement").status_code == 404


def test_anyone_else_is_refused_the_application(client, call_world) -> None:
    application = filled(call_world)
    call_world.make_user("eve@example.org")
    login(client, "eve@example.org")
    for path in ("", "/withdraw", "/files/cv", "/view"):
        assert client.get(f"/applications/{application.id}{path}").status_code in (403, 404)
    for path in ("/save", "/submit", "/withdraw", "/files/cv"):
        assert client.post(f"/applications/{application.id}{path}",
                           data={"q-role": "x"}).status_code == 404
    assert client.get(f"/applications/call/{call_world.call.id}").status_code == 403
    assert committed(select(Application.answers["role"].as_string())) == ANSWERS["role"]


def test_another_centres_officer_and_a_reviewer_not_assigned(client, call_world) -> None:
    application = filled(call_world)
    login(client, call_world.network.stranger.email)
    assert client.get(f"/applications/call/{call_world.call.id}").status_code == 403
    assert client.get(f"/applications/{application.id}/view").status_code == 403
    client.post("/auth/logout")
    login(client, call_world.reviewers[0].email)
    assert client.get(f"/applications/{application.id}/view").status_code == 403
    assert client.get(f"/applications/{application.id}/files/cv").status_code == 403


def test_the_officer_sees_the_list_and_the_travel_details(client, call_world) -> None:
    application = filled(call_world)
    call_world.apply(nationality="KE", organisation="Nairobi Vaccines")
    login(client, call_world.officer.email)
    page = client.get(f"/applications/call/{call_world.call.id}?country=KE")
    text = page.get_data(as_text=True)
    assert "Nairobi Vaccines" in text and "Biovaccines Nigeria" not in text
    view = client.get(f"/applications/{application.id}/view").get_data(as_text=True)
    assert PASSPORT in view and "Production supervisor" in view
    download = client.get(f"/applications/{application.id}/files/cv")
    assert download.status_code == 200


def test_withdrawing_asks_first(client, call_world) -> None:
    application = _started(client, call_world)
    confirm = client.get(f"/applications/{application.id}/withdraw").get_data(as_text=True)
    assert "Withdraw your application?" in confirm
    assert client.post(f"/applications/{application.id}/withdraw").status_code == 302
    assert committed(select(Application.state)) == "withdrawn"
    mine = client.get("/applications/").get_data(as_text=True)
    assert "Withdrawn" in mine and call_world.call.title in mine


def test_posts_without_their_token_are_refused(make_app, call_world) -> None:
    application = filled(call_world)
    guarded: Flask = make_app(WTF_CSRF_ENABLED=True)
    client = guarded.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    applicant = applicant_of(application)
    client.post("/auth/login", data={"email": applicant.email,
                                     "password": "a long enough passphrase",
                                     "csrf_token": token.group(1)})
    for path in ("/save", "/submit", "/withdraw", "/files/cv"):
        assert client.post(f"/applications/{application.id}{path}",
                           data={"q-role": "Forged"}).status_code == 400
    assert committed(select(Application.state)) == "draft"
    assert committed(select(Application.answers["role"].as_string())) == ANSWERS["role"]


def test_the_form_page_and_the_list_stay_within_their_statement_budgets(client, call_world
                                                                        ) -> None:
    form = f"/applications/{_started(client, call_world).id}"
    counts = []
    for more in (0, 30):
        for _ in range(more):
            call_world.apply()
        with count_queries() as statements:
            assert client.get(form).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1] and counts[0] <= 12, counts
    client.post("/auth/logout")
    login(client, call_world.officer.email)
    listed, page = [], f"/applications/call/{call_world.call.id}"
    for more in (0, 60):
        for _ in range(more):
            call_world.apply()
        with count_queries() as statements:
            assert client.get(page).status_code == 200
        listed.append(len(statements))
    assert listed[0] == listed[1] and listed[0] <= 12, listed
    assert committed(select(func.count()).select_from(ApplicationFile)) == 180


def test_the_form_speaks_the_applicants_language(client, call_world) -> None:
    application = _started(client, call_world)
    user = applicant_of(application)
    user.language = "fr"
    db.session.commit()
    client.post(f"/applications/{application.id}/save",
                data={"version": "1", "nationality": "KR"})
    page = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "(obligatoire)" in page and "Encore manquant" in page
    assert "pays à revenu faible ou intermédiaire" in page and "à revenu élevé" in page


def test_every_kind_of_question_is_asked_and_kept(client, call_world) -> None:
    call_world.call.form = [*call_world.call.form,
                            {"key": "home", "kind": "country", "label": "Home country"},
                            {"key": "since", "kind": "date", "label": "In post since"},
                            {"key": "staff", "kind": "number", "label": "Staff", "whole": True},
                            {"key": "skills", "kind": "choice", "label": "Skills",
                             "multiple": True, "choices": ["Aseptic", "QC", "QA"]}]
    db.session.commit()
    application = _started(client, call_world)
    answer = client.post(f"/applications/{application.id}/save", data={
        "version": "1", "q-home": "GH", "q-since": "2021-09-01", "q-staff": "12",
        "q-skills": ["", "QC", "Aseptic"]})
    assert answer.status_code == 302
    page = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert '<option value="GH" selected>Ghana</option>' in page
    assert 'type="date" id="q-since" name="q-since" value="2021-09-01"' in page
    assert 'name="q-staff" value="12"' in page and 'inputmode="numeric"' in page
    assert 'type="checkbox" id="q-skills-1" name="q-skills" value="Aseptic" checked' in page
    assert 'type="checkbox" id="q-skills-3" name="q-skills" value="QA">' in page
    assert committed(select(Application.answers)) == {
        "home": "GH", "since": "2021-09-01", "staff": 12, "skills": ["Aseptic", "QC"]}
