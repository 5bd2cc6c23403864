"""The call pages through the test client: the public list and page, the officers' list,
form, preview, overview, publish and close; scoping, CSRF, sanitizing, and a bounded number
of statements per page whatever the number of calls and applications."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.calls.hooks import CALL_LINKS, PUBLIC_CALL_LINKS, CallLink
from app.calls.models import Call
from app.centres.models import CentreRole
from app.centres.services import ensure_hub
from app.core.roles import Role
from app.extensions import db
from app.records.models import Event
from tests.calls.world import CallWorld
from tests.conftest import committed, count_queries, login


def _form(world: CallWorld, **changes: Any) -> dict[str, Any]:
    """What the call form sends for a complete call of three questions and a rubric."""
    data: dict[str, Any] = {
        "kind": "trainee", "centre_id": str(world.network.centre.id),
        "intake_id": str(world.intake.id), "code": "IBDM-2026-09",
        "title": "Call for applications: IBDM September 2026",
        "description": "Production staff of **LMIC** manufacturers.",
        "timezone": "Asia/Seoul", "opens_at": "2026-04-01T09:00",
        "closes_at": "2026-04-30T23:59", "places": "20", "languages": ["en", "fr"],
        "country_rule": "lmic", "country_list": "", "residence_too": "y",
        "organisation_types": ["manufacturer", "regulator"], "min_experience_years": "2",
        "country_max": "4", "country_max_by": "NG 6", "country_min": "KR 1",
        "organisation_max": "2", "gender_target": "female 50",
        "reviews_per_application": "2", "disagreement_percent": "25", "confirm_days": "14",
        "retention_months": "12", "asks_travel_details": "y",
        "question-0-label": "Current job title", "question-0-kind": "text",
        "question-0-required": "y", "question-0-max_length": "120",
        "question-1-label": "Why this training?", "question-1-kind": "long_text",
        "question-1-required": "y", "question-1-min_words": "20", "question-1-max_words": "300",
        "question-2-key": "cv", "question-2-label": "CV", "question-2-kind": "file",
        "question-2-required": "y", "question-2-max_mb": "2",
        "question-3-label": "", "question-3-kind": "text",
        "criterion-0-label": "Relevant experience", "criterion-0-max": "5",
        "criterion-1-label": "Motivation", "criterion-1-max": "5",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _newest() -> Call:
    return db.session.scalars(select(Call).order_by(Call.id.desc()).limit(1)).one()


def _text(response: Any) -> str:
    return response.get_data(as_text=True)


# --- writing -------------------------------------------------------------------------------


def test_pat_writes_a_call_with_questions_rubric_and_quotas(client: FlaskClient,
                                                           call_world: CallWorld) -> None:
    login(client, "pat@example.org")
    page = _text(client.get("/calls/new"))
    assert 'name="question-0-label"' in page and 'name="criterion-0-label"' in page
    answer = client.post("/calls/new", data=_form(call_world))
    assert answer.status_code == 302, _text(answer)
    call = _newest()
    assert answer.headers["Location"].endswith(f"/calls/{call.id}/overview")
    assert [f["key"] for f in call.form] == ["current_job_title", "why_this_training", "cv"]
    assert call.form[1] == {"key": "why_this_training", "kind": "long_text",
                            "label": "Why this training?", "required": True,
                            "min_words": 20, "max_words": 300}
    assert call.rubric == [{"key": "relevant_experience", "label": "Relevant experience",
                            "max": 5}, {"key": "motivation", "label": "Motivation", "max": 5}]
    assert call.quotas == {"country_max": 4, "organisation_max": 2,
                           "country_max_by": {"NG": 6}, "country_min": {"KR": 1},
                           "gender_target": {"female": 50}}
    assert call.eligibility == {"countries": "lmic", "residence_too": True,
                                "organisation_types": ["manufacturer", "regulator"],
                                "min_experience_years": 2}
    # 23:59 on 30 April in Seoul is 14:59 UTC.
    assert call.closes_at == datetime(2026, 4, 30, 14, 59, tzinfo=UTC)
    assert call.status == "draft" and call.languages == ["en", "fr"]
    assert call.disagreement_share == 0.25 and call.asks_travel_details


def test_every_error_shows_at_once_next_to_its_row_and_nothing_is_lost(
        client: FlaskClient, call_world: CallWorld) -> None:
    login(client, "pat@example.org")
    answer = client.post("/calls/new", data=_form(
        call_world, title="", closes_at="2026-03-01T10:00", places="lots",
        country_max_by="NG 6\nsix for Kenya", **{
            "question-1-min_words": "400", "question-4-label": "Track",
            "question-4-kind": "choice", "question-4-choices": "mRNA",
            "criterion-1-max": "500"}))
    page = _text(answer)
    assert answer.status_code == 200 and _newest().id == call_world.call.id
    for message in ("Give the call a title.", "The call must close after it opens.",
                    "Enter a whole number, like 12.",
                    "Line 2: write a code and a number, like NG 8.",
                    "The least number of words is more than the most.",
                    "A choice needs at least two options.",
                    "Criterion motivation: the most points is a whole number from 1 to 100."):
        assert message in page, message
    # What was typed comes back as typed.
    assert 'value="Why this training?"' in page and "six for Kenya" in page
    assert 'value="lots"' in page and ">mRNA</textarea>" in page


def test_a_stale_edit_keeps_what_the_author_typed(client: FlaskClient,
                                                  call_world: CallWorld, clock) -> None:
    call = call_world.call
    login(client, "pat@example.org")
    data = _form(call_world, code=call.code, version="1", title="Pat's title")
    call.title, call.version = "Someone else's title", 2
    db.session.commit()
    answer = client.post(f"/calls/{call.id}/edit", data=data)
    page = _text(answer)
    assert answer.status_code == 200
    assert "Someone else saved this call since you opened it." in page
    assert 'value="Pat&#39;s title"' in page
    assert committed(select(Call.title).where(Call.id == call.id)) == "Someone else's title"
    assert 'name="version" type="hidden" value="2"' in page  # saving again is a choice
    assert client.post(f"/calls/{call.id}/edit", data={**data, "version": "2"}
                       ).status_code == 302
    assert committed(select(Call.title).where(Call.id == call.id)) == "Pat's title"
    changed = committed(select(Event.details).where(Event.action == "call.changed"))
    assert "title" in changed["changed"]


def test_publish_refuses_an_incomplete_draft_then_publishes_and_closes(
        client: FlaskClient, call_world: CallWorld, clock) -> None:
    login(client, "pat@example.org")
    client.post("/calls/new", data=_form(call_world, opens_at="2026-03-01T09:00", **{
        "question-0-label": "", "question-1-label": "", "question-2-label": "",
        "question-2-key": "", "criterion-0-label": "", "criterion-1-label": ""}))
    call = _newest()
    overview = _text(client.get(f"/calls/{call.id}/overview"))
    assert "Before it can be published" in overview
    answer = client.post(f"/calls/{call.id}/publish")
    assert answer.status_code == 200
    assert "Add at least one question to the application form." in _text(answer)
    assert committed(select(Call.status).where(Call.id == call.id)) == "draft"
    client.post(f"/calls/{call.id}/edit", data=_form(call_world, opens_at="2026-03-01T09:00",
                                                     version=str(call.version)))
    assert client.post(f"/calls/{call.id}/publish").status_code == 302
    assert committed(select(Call.status).where(Call.id == call.id)) == "published"
    assert "Close the call now?" in _text(client.get(f"/calls/{call.id}/close"))
    assert client.post(f"/calls/{call.id}/close").status_code == 302
    assert committed(select(Call.closes_at).where(Call.id == call.id)) == clock()
    actions = committed(select(func.count()).select_from(Event).where(
        Event.action.in_(("call.created", "call.published", "call.closed"))))
    assert actions == 3


def test_a_centre_call_starts_with_the_ready_centre_form(client: FlaskClient,
                                                        call_world: CallWorld, clock) -> None:
    call_world.make_user("root@example.org", roles=(Role.ADMIN,))
    login(client, "root@example.org")
    page = _text(client.get("/calls/new?kind=centre"))
    assert "New centre call" in page
    for label in ("Name of the institution", "Facilities and GMP status",
                  "Letter of intent (PDF)", "Commitment and regional reach"):
        assert label in page
    client.post("/auth/logout")
    login(client, "pat@example.org")
    assert client.get("/calls/new?kind=centre").status_code == 403


def test_the_hubs_programme_officer_writes_centre_calls(client: FlaskClient,
                                                       call_world: CallWorld, clock) -> None:
    hub = ensure_hub(clock())
    db.session.add(CentreRole(centre_id=hub.id, user_id=call_world.officer.id,
                              role="programme_officer", assigned_at=clock()))
    db.session.commit()
    login(client, "pat@example.org")
    assert "New centre call" in _text(client.get("/calls/manage"))
    answer = client.post("/calls/new?kind=centre", data=_form(
        call_world, kind="centre", centre_id=str(hub.id), intake_id="", code="EOI-2026"))
    assert answer.status_code == 302, _text(answer)
    assert (_newest().kind, _newest().centre_id) == ("centre", hub.id)


# --- scope ---------------------------------------------------------------------------------


def test_an_officer_of_another_centre_cannot_see_or_touch_the_call(
        client: FlaskClient, call_world: CallWorld) -> None:
    call = call_world.call
    login(client, "luis@example.org")
    assert call.title not in _text(client.get("/calls/manage"))
    for path in ("edit", "overview", "preview", "close"):
        assert client.get(f"/calls/{call.id}/{path}").status_code == 403, path
    for path in ("edit", "publish", "close"):
        assert client.post(f"/calls/{call.id}/{path}", data=_form(call_world)
                           ).status_code == 403, path
    assert client.get("/calls/999999/overview").status_code == 404
    # Nor can he write one for AFR: its centre is not among his choices.
    answer = client.post("/calls/new", data=_form(call_world, code="LAT-X"))
    assert answer.status_code == 200 and "Choose one of the options" in _text(answer)
    assert _newest().id == call.id


def test_a_learner_has_no_officer_pages(client: FlaskClient, call_world: CallWorld) -> None:
    call_world.make_user("amina@example.org")
    login(client, "amina@example.org")
    assert "Manage your centres" not in _text(client.get("/calls/"))
    for path in ("/calls/manage", "/calls/new", f"/calls/{call_world.call.id}/edit"):
        assert client.get(path).status_code == 403, path
    client.post("/auth/logout")
    answer = client.get("/calls/manage")
    assert answer.status_code == 302 and "/auth/login" in answer.headers["Location"]


def test_csrf_guards_every_form(make_app: Any, call_world: CallWorld) -> None:
    guarded: Flask = make_app(WTF_CSRF_ENABLED=True)
    client = guarded.test_client()
    page = _text(client.get("/auth/login"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    client.post("/auth/login", data={"email": "pat@example.org",
                                     "password": "a long enough passphrase",
                                     "csrf_token": token.group(1)})
    call = call_world.call
    for path in ("/calls/new", f"/calls/{call.id}/edit", f"/calls/{call.id}/publish",
                 f"/calls/{call.id}/close"):
        answer = client.post(path, data=_form(call_world))
        assert answer.status_code == 400 and b"CSRF token is missing" in answer.data, path
    assert committed(select(Call.closes_at).where(Call.id == call.id)) == call.closes_at


# --- the public pages ----------------------------------------------------------------------


def test_the_public_reads_published_calls_and_never_a_draft(
        client: FlaskClient, call_world: CallWorld, clock) -> None:
    call = call_world.call
    draft = Call(**{**{c: getattr(call, c) for c in (
        "centre_id", "kind", "title", "description", "description_html", "opens_at",
        "closes_at", "timezone", "places", "languages", "eligibility", "form", "rubric",
        "quotas")}, "code": "DRAFT", "title": "A draft call", "status": "draft",
        "created_at": clock()})
    db.session.add(draft)
    db.session.commit()
    listing = _text(client.get("/calls/"))
    assert call.title in listing and "A draft call" not in listing
    assert "Tue 31 Mar 2026, 23:59 (Asia/Seoul)" in listing
    assert client.get(f"/calls/{draft.id}").status_code == 404
    page = client.get(f"/calls/{call.id}")
    assert page.status_code == 200 and "no-store" not in page.headers.get("Cache-Control", "")
    text = _text(page)
    for words in ("Citizens of a low- or middle-income country (World Bank income groups) "
                  "who also live in one.", "Working at: Manufacturer, Regulator, and "
                  "Government.", "At least 2 years of relevant experience.",
                  "CV (PDF)", "PDF, up to 2 MB", "Why do you want this "
                  "training?", "Long text: 5 to 300 words", "Places", "English"):
        assert words in text, words
    login(client, "pat@example.org")
    preview = _text(client.get(f"/calls/{draft.id}/preview"))
    assert "Preview: not published" in preview and "A draft call" in preview


def test_a_logged_in_reader_sees_the_deadline_in_their_own_zone_too(
        client: FlaskClient, call_world: CallWorld) -> None:
    user = call_world.make_user("amina@example.org")
    user.timezone = "Africa/Lagos"
    db.session.commit()
    login(client, "amina@example.org")
    page = _text(client.get(f"/calls/{call_world.call.id}"))
    assert "Tue 31 Mar 2026, 23:59 (Asia/Seoul)" in page
    assert "Your time: Tue 31 Mar 2026, 15:59 (Africa/Lagos)" in page
    assert "no-store" in client.get("/calls/").headers["Cache-Control"]


def test_a_script_in_the_description_never_reaches_a_page(
        client: FlaskClient, call_world: CallWorld) -> None:
    login(client, "pat@example.org")
    call = call_world.call
    client.post(f"/calls/{call.id}/edit", data=_form(
        call_world, code=call.code, version=str(call.version),
        description='Hello <script>alert("x")</script>\n\n<img src=x onerror=alert(1)>'))
    for path in (f"/calls/{call.id}", f"/calls/{call.id}/preview"):
        page = _text(client.get(path))
        assert "Hello" in page and 'alert("x")' not in page and "onerror" not in page


def test_other_features_links_appear_on_the_call_pages(
        app: Flask, client: FlaskClient, call_world: CallWorld) -> None:
    def apply(call: Call, viewer: Any) -> list[CallLink]:
        return [CallLink("Apply now", "calls.index")]

    def review(call: Call, viewer: Any) -> list[CallLink]:
        return [CallLink("Board", "calls.manage", order=60),
                CallLink("Applications", "calls.overview", {"call_id": call.id}, order=10)]

    PUBLIC_CALL_LINKS.add(app, apply)
    CALL_LINKS.add(app, review)
    assert "Apply now" in _text(client.get(f"/calls/{call_world.call.id}"))
    login(client, "pat@example.org")
    overview = _text(client.get(f"/calls/{call_world.call.id}/overview"))
    assert overview.index(">Applications</a>") < overview.index(">Board</a>")


# --- statements ----------------------------------------------------------------------------


def _more_calls(world: CallWorld, clock: Any, calls: int, applications: int) -> None:
    base = world.call
    for n in range(calls):
        db.session.add(Call(
            centre_id=base.centre_id, intake_id=base.intake_id, kind="trainee",
            code=f"MORE-{n}", title=f"Another call {n}", opens_at=base.opens_at,
            closes_at=base.closes_at + timedelta(days=n), timezone="Asia/Seoul",
            places=3, languages=["en"], eligibility={}, form=base.form, rubric=base.rubric,
            quotas={}, status="published", created_at=clock()))
    db.session.commit()
    for n in range(applications):
        world.apply(nationality=("NG", "KE", "GH")[n % 3], files=False, personal=False,
                    state=("submitted", "draft")[n % 2])


@pytest.mark.parametrize(("path", "who"), [
    ("/calls/", None), ("/calls/{id}", None), ("/calls/", "pat@example.org"),
    ("/calls/{id}", "pat@example.org"), ("/calls/manage", "pat@example.org"),
    ("/calls/{id}/overview", "pat@example.org"), ("/calls/{id}/edit", "pat@example.org")])
def test_each_page_runs_a_bounded_number_of_statements(
        client: FlaskClient, call_world: CallWorld, clock, path: str, who: str | None) -> None:
    if who:
        login(client, who)
    url = path.format(id=call_world.call.id)
    counts = []
    for calls, applications in ((0, 1), (12, 20)):
        _more_calls(call_world, clock, calls, applications)
        client.get(url)  # the user's session, warm
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1] and counts[1] <= 8, (url, counts)


def test_the_list_shows_open_then_upcoming_then_recently_closed_calls(
        client: FlaskClient, call_world: CallWorld, clock) -> None:
    base = call_world.call
    now = clock()
    for code, opens, closes in (("SOON", now + timedelta(days=10), now + timedelta(days=40)),
                                ("GONE", now - timedelta(days=90), now - timedelta(days=31)),
                                ("JUST", now - timedelta(days=40), now - timedelta(days=2))):
        db.session.add(Call(
            centre_id=base.centre_id, kind="trainee", code=code, title=f"Call {code}",
            opens_at=opens, closes_at=closes, timezone="UTC", places=2, languages=["en"],
            eligibility={}, form=base.form, rubric=base.rubric, quotas={},
            status="published", created_at=now))
    db.session.commit()
    page = _text(client.get("/calls/"))
    assert "Call GONE" not in page
    assert page.index(base.title) < page.index("Call SOON") < page.index("Call JUST")
    soon = page[page.index("Call SOON"):page.index("Call JUST")]
    assert "Opening soon" in soon and "Opens" in soon
    assert "Closed" in page[page.index("Call JUST"):]


def test_the_network_administrator_manages_every_centres_calls(
        client: FlaskClient, call_world: CallWorld, clock) -> None:
    other = Call(centre_id=call_world.network.other.id, kind="trainee", code="LAT-1",
                 title="Llamado LAT", opens_at=call_world.call.opens_at,
                 closes_at=call_world.call.closes_at, timezone="UTC", places=2,
                 languages=["es"], eligibility={}, form=[], rubric=[], quotas={},
                 created_at=clock())
    db.session.add(other)
    db.session.commit()
    call_world.make_user("root@example.org", roles=(Role.ADMIN,))
    login(client, "root@example.org")
    page = _text(client.get("/calls/manage"))
    assert call_world.call.title in page and "Llamado LAT" in page
    assert client.get(f"/calls/{other.id}/edit").status_code == 200
    assert "Calls for applications" in _text(client.get("/admin/users"))
    login_page = _text(client.get("/calls/"))
    assert 'href="/calls/manage"' in login_page


@pytest.mark.parametrize(("tag", "words"), [("fr", "Qui peut postuler"),
                                            ("ar", "من يحق له التقديم"),
                                            ("ko", "지원 자격")])
def test_the_call_pages_read_in_the_readers_language(
        client: FlaskClient, call_world: CallWorld, tag: str, words: str) -> None:
    client.post("/auth/language", data={"language": tag, "next": "/calls/"})
    page = _text(client.get(f"/calls/{call_world.call.id}"))
    assert words in page
    login(client, "pat@example.org")
    client.post("/auth/language", data={"language": tag, "next": "/calls/"})
    for path in ("/calls/manage", "/calls/new", f"/calls/{call_world.call.id}/edit",
                 f"/calls/{call_world.call.id}/overview"):
        assert client.get(path).status_code == 200, path
    answer = client.post("/calls/new", data=_form(call_world, title="", **{
        "question-1-min_words": "400"}))
    assert answer.status_code == 200 and 'lang="' + tag + '"' in _text(answer)


def test_a_reviewer_sees_the_overview_without_the_officers_buttons(
        client: FlaskClient, call_world: CallWorld) -> None:
    login(client, "rosa@example.org")
    page = _text(client.get(f"/calls/{call_world.call.id}/overview"))
    assert call_world.call.title in page
    assert f"/calls/{call_world.call.id}/edit" not in page, page
    assert "Close now" not in page and "publish" not in page
    assert client.get(f"/calls/{call_world.call.id}/edit").status_code == 403
    assert client.get("/calls/manage").status_code == 403
