"""Reviewing's pages through the test client: who may open what (officers of the call's
centre, its assigned reviewers without a conflict, nobody else), blind review, the other
reviewers' scores only after one's own, and bounded statement counts."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.calls.models import ReviewAssignment, ReviewScore
from app.extensions import db
from app.reviews.services import (
    add_reviewer,
    assign_reviewer,
    declare_conflict,
    score_application,
    spread_reviews,
)
from tests.conftest import count_queries, login

POINTS = {"experience": 4, "motivation": 3, "impact": 5}
FORM_POINTS = {f"points-{key}": str(value) for key, value in POINTS.items()}


def _switch(client: Any, email: str) -> None:
    client.post("/auth/logout")
    login(client, email)


def _assigned(world: Any, reviewer_index: int = 0, **apply: Any) -> Any:
    application = world.apply(**apply)
    assign_reviewer(world.officer, world.call, application.id,
                    world.reviewers[reviewer_index].id, world.clock())
    db.session.commit()
    return application


# --- the officers' page -----------------------------------------------------------------


def test_the_officer_sees_reviewers_and_applications_with_their_progress(
        client, call_world: Any) -> None:
    world = call_world
    amara = world.make_user("amara@example.org", name="Amara Okafor")
    first = world.apply(amara)
    world.apply(nationality="KE", organisation="Kenya Biovax")
    spread_reviews(world.officer, world.call, world.clock())
    score_application(world.reviewers[0], first, world.call, POINTS, "", world.clock())
    db.session.commit()
    login(client, world.officer.email)
    page = client.get(f"/reviews/call/{world.call.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Rosa Reviewer" in text and "Ravi Reviewer" in text
    assert "Amara Okafor" in text and "Kenya" in text
    assert "1 of 2 scored" in text and "0 of 2 scored" in text
    assert "Remove Ravi Reviewer" in text and "Remove Rosa Reviewer" not in text  # scored
    assert "Unassign Ravi Reviewer" in text
    assert page.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("who", ["stranger", "reviewer", "applicant"])
def test_nobody_else_opens_the_officers_page(client, call_world: Any, who: str) -> None:
    world = call_world
    applicant = world.make_user("amara@example.org")
    world.apply(applicant)
    email = {"stranger": world.network.stranger.email,  # Luis, centre admin of LAT
             "reviewer": world.reviewers[0].email, "applicant": applicant.email}[who]
    login(client, email)
    for path in (f"/reviews/call/{world.call.id}",):
        assert client.get(path).status_code == 403
    for path in ("spread", "assign", "reviewers"):
        assert client.post(f"/reviews/call/{world.call.id}/{path}",
                           data={"email": email}).status_code == 403
    assert db.session.scalar(select(ReviewAssignment.id)) is None


def test_an_unknown_call_is_404_and_anonymous_visitors_log_in(client, call_world: Any) -> None:
    assert client.get(f"/reviews/call/{call_world.call.id}").status_code == 302
    login(client, call_world.officer.email)
    assert client.get("/reviews/call/999999").status_code == 404


def test_the_officer_adds_a_reviewer_and_is_told_what_is_wrong(client, call_world: Any) -> None:
    world = call_world
    login(client, world.officer.email)
    page = client.post(f"/reviews/call/{world.call.id}/reviewers",
                       data={"email": "nobody@example.org"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="email-error"' in text
    assert "No account has this e-mail address" in text
    newcomer = world.make_user("nils@example.org", name="Nils New")
    page = client.post(f"/reviews/call/{world.call.id}/reviewers",
                       data={"email": newcomer.email}, follow_redirects=True)
    assert "Nils New reviews this call now." in page.get_data(as_text=True)


def test_the_officer_spreads_assigns_and_unassigns(client, call_world: Any) -> None:
    world = call_world
    applications = [world.apply() for _ in range(3)]
    login(client, world.officer.email)
    page = client.post(f"/reviews/call/{world.call.id}/spread", follow_redirects=True)
    assert "6 assignments added." in page.get_data(as_text=True)
    held = db.session.scalars(select(ReviewAssignment).order_by(ReviewAssignment.id)).all()
    assert len(held) == 6
    page = client.post(f"/reviews/call/{world.call.id}/assignments/{held[0].id}/remove",
                       data={"back": f"/reviews/call/{world.call.id}?page=1"},
                       follow_redirects=True)
    assert "The reviewer is off the application." in page.get_data(as_text=True)
    page = client.get(f"/reviews/call/{world.call.id}?short=1")
    assert "needs 1 more reviewer" in page.get_data(as_text=True)
    # Assigning the same reviewer twice: the error is in that application's row.
    again = held[1]
    page = client.post(f"/reviews/call/{world.call.id}/assign", data={
        "application": again.application_id, "reviewer": again.reviewer_id, "page": 1})
    text = page.get_data(as_text=True)
    assert f'id="reviewer-{again.application_id}-error"' in text
    assert "This reviewer has this application already." in text
    page = client.post(f"/reviews/call/{world.call.id}/assign", data={
        "application": held[0].application_id, "reviewer": held[0].reviewer_id, "page": 1},
        follow_redirects=True)
    assert f"Application {held[0].application_id} is assigned." in page.get_data(as_text=True)
    assert len(applications) == 3


def test_the_officers_page_runs_a_bounded_number_of_statements(client, call_world: Any
                                                                ) -> None:
    world = call_world
    login(client, world.officer.email)

    def statements_for(total: int) -> int:
        while len(world.applications) < total:
            world.apply(files=False, personal=False)
        spread_reviews(world.officer, world.call, world.clock())
        db.session.commit()
        client.get(f"/reviews/call/{world.call.id}")
        with count_queries() as statements:
            assert client.get(f"/reviews/call/{world.call.id}").status_code == 200
        return len(statements)

    few, many = statements_for(3), statements_for(70)  # 70: two pages
    assert few == many, (few, many)
    assert many <= 9


# --- the reviewer's pages --------------------------------------------------------------


def test_a_reviewer_sees_their_assignments_grouped_by_call(client, call_world: Any) -> None:
    world = call_world
    first = _assigned(world)
    second = _assigned(world)
    score_application(world.reviewers[0], second, world.call, POINTS, "", world.clock())
    db.session.commit()
    login(client, world.reviewers[0].email)
    text = client.get("/reviews/").get_data(as_text=True)
    assert world.call.title in text
    assert "1 to score" in text and "1 scored" in text
    assert f'href="/reviews/{first.id}"' in text
    _switch(client, world.reviewers[1].email)
    assert "No application has been assigned to you" in client.get("/reviews/").get_data(
        as_text=True)


@pytest.mark.parametrize("who", ["other_call_reviewer", "unassigned", "conflicted",
                                 "applicant", "stranger"])
def test_the_review_page_and_documents_are_refused_to_everyone_else(
        client, call_world: Any, who: str) -> None:
    world = call_world
    applicant = world.make_user("amara@example.org", name="Amara Okafor")
    application = _assigned(world, user=applicant)
    email = world.network.stranger.email
    if who == "other_call_reviewer":
        other = world.make_user("olga@example.org", name="Olga Other")
        call = _other_call(world)
        add_reviewer(world.officer, call, other.email, world.clock())
        elsewhere = world.apply(call=call)
        assign_reviewer(world.officer, call, elsewhere.id, other.id, world.clock())
        email = other.email
    elif who == "unassigned":
        email = world.reviewers[1].email
    elif who == "conflicted":
        declare_conflict(world.reviewers[0], application, world.call, "My sister.",
                         world.clock())
        email = world.reviewers[0].email
    elif who == "applicant":
        email = applicant.email
    db.session.commit()
    login(client, email)
    for path in (f"/reviews/{application.id}", f"/reviews/{application.id}/files/cv",
                 f"/reviews/{application.id}/conflict"):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/reviews/{application.id}", data=FORM_POINTS).status_code == 403
    assert db.session.scalar(select(ReviewScore.id)) is None


def _other_call(world: Any) -> Any:
    from app.calls.models import Call

    call = Call(**{column: getattr(world.call, column) for column in (
        "centre_id", "intake_id", "kind", "title", "description", "description_html",
        "opens_at", "closes_at", "timezone", "places", "languages", "eligibility", "form",
        "rubric", "quotas", "status", "created_at")}, code="OTHER-2026")
    db.session.add(call)
    db.session.flush()
    return call


def test_the_reviewer_reads_the_application_and_downloads_its_documents(
        client, call_world: Any) -> None:
    world = call_world
    applicant = world.make_user("amara@example.org", name="Amara Okafor")
    application = _assigned(world, user=applicant, nationality="GH",
                            organisation="Ghana Vaccines")
    login(client, world.reviewers[0].email)
    page = client.get(f"/reviews/{application.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Amara Okafor" in text and "amara@example.org" in text and "Ghana Vaccines" in text
    assert "Ghana" in text and "Manufacturer" in text and "Eligible" in text
    assert "To run the new fill and finish line at home." in text  # an answer
    assert f"P{application.id:07d}" not in text and "1990" not in text  # never the passport
    download = client.get(f"/reviews/{application.id}/files/cv")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert download.headers["Content-Disposition"] == 'attachment; filename="cv.pdf"'
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download.headers["Cache-Control"]
    assert client.get(f"/reviews/{application.id}/files/passport").status_code == 404
    _switch(client, world.officer.email)  # officers too
    assert client.get(f"/reviews/{application.id}/files/endorsement").status_code == 200
    assert client.get("/reviews/999999").status_code == 404


def test_blind_review_shows_neither_name_email_nor_organisation(client, call_world: Any
                                                                ) -> None:
    world = call_world
    world.call.blind_review = True
    applicant = world.make_user("amara.okafor@example.org", name="Amara Okafor")
    application = _assigned(world, user=applicant, organisation="Zenith Biologicals")
    db.session.commit()
    login(client, world.reviewers[0].email)
    for path in (f"/reviews/{application.id}", "/reviews/", f"/reviews/{application.id}/conflict",
                 "/learning/dashboard"):
        text = client.get(path).get_data(as_text=True)
        for secret in ("Amara", "Okafor", "amara.okafor", "Zenith"):
            assert secret not in text, (path, secret)
    text = client.get(f"/reviews/{application.id}").get_data(as_text=True)
    assert f"Applicant {application.id}" in text
    download = client.get(f"/reviews/{application.id}/files/cv")
    assert download.headers["Content-Disposition"] == \
        f'attachment; filename="applicant-{application.id}-cv.pdf"'
    _switch(client, world.officer.email)  # the officers see who it is
    assert "Amara Okafor" in client.get(f"/reviews/{application.id}").get_data(as_text=True)


def test_others_scores_appear_only_after_ones_own(client, call_world: Any) -> None:
    world = call_world
    rosa, ravi = world.reviewers
    application = world.apply()
    spread_reviews(world.officer, world.call, world.clock())
    score_application(ravi, application, world.call, {"experience": 1, "motivation": 1,
                                                      "impact": 1}, "Thin evidence.",
                      world.clock())
    db.session.commit()
    login(client, rosa.email)
    text = client.get(f"/reviews/{application.id}").get_data(as_text=True)
    assert "Ravi Reviewer" not in text and "Thin evidence." not in text
    assert "shown once you have given yours" in text
    page = client.post(f"/reviews/{application.id}", data={**FORM_POINTS,
                                                          "comment": "Convincing."},
                       follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "Your score is saved." in text
    assert "Ravi Reviewer" in text and "Thin evidence." in text and "3 of 15" in text
    assert 'value="4"' in text and "Convincing." in text  # her own, in the form again


def test_every_wrong_criterion_is_shown_at_once_and_nothing_is_lost(client,
                                                                   call_world: Any) -> None:
    world = call_world
    application = _assigned(world)
    login(client, world.reviewers[0].email)
    page = client.post(f"/reviews/{application.id}", data={
        "points-experience": "9", "points-motivation": "", "points-impact": "three",
        "comment": "Keep me."})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for key in ("experience", "motivation", "impact"):
        assert f'id="points-{key}-error"' in text, key
    assert "From 0 to 5, please." in text and "Give this criterion its points." in text
    assert "Give a whole number." in text
    assert 'value="9"' in text and 'value="three"' in text and "Keep me." in text
    assert db.session.scalar(select(ReviewScore.id)) is None


def test_declaring_a_conflict_asks_first_then_reassigns(client, call_world: Any,
                                                        make_user) -> None:
    world = call_world
    world.call.reviews_per_application = 1
    application = _assigned(world)
    login(client, world.reviewers[0].email)
    page = client.get(f"/reviews/{application.id}/conflict")
    assert "Declare the conflict" in page.get_data(as_text=True)
    page = client.post(f"/reviews/{application.id}/conflict", data={"reason": ""})
    assert 'id="reason-error"' in page.get_data(as_text=True)
    page = client.post(f"/reviews/{application.id}/conflict",
                       data={"reason": "I work with her."}, follow_redirects=True)
    assert "Your conflict of interest is on record" in page.get_data(as_text=True)
    held = {row.reviewer_id: row for row in db.session.scalars(select(ReviewAssignment))}
    assert held[world.reviewers[0].id].conflict_reason == "I work with her."
    assert held[world.reviewers[1].id].conflict_at is None
    assert client.get(f"/reviews/{application.id}").status_code == 403


def test_the_review_page_runs_a_bounded_number_of_statements(client, call_world: Any) -> None:
    world = call_world
    rosa = world.reviewers[0]
    login(client, rosa.email)

    def statements_for(others: int) -> int:
        application = _assigned(world)
        for n in range(others):
            extra = world.make_user(f"extra{len(world.applications)}-{n}@example.org")
            add_reviewer(world.officer, world.call, extra.email, world.clock())
            assign_reviewer(world.officer, world.call, application.id, extra.id,
                            world.clock())
            score_application(extra, application, world.call, POINTS, "", world.clock())
        score_application(rosa, application, world.call, POINTS, "", world.clock())
        while len(world.applications) < others * 5:
            world.apply(files=False, personal=False)
        db.session.commit()
        client.get(f"/reviews/{application.id}")
        with count_queries() as statements:
            assert client.get(f"/reviews/{application.id}").status_code == 200
        return len(statements)

    few, many = statements_for(1), statements_for(12)
    assert few == many, (few, many)
    assert many <= 10


def test_the_dashboard_lists_what_waits_for_the_reviewer(client, call_world: Any) -> None:
    world = call_world
    _assigned(world)
    _assigned(world)
    login(client, world.reviewers[0].email)
    text = client.get("/learning/dashboard").get_data(as_text=True)
    assert "Applications to review" in text and "2 applications to score" in text
    _switch(client, world.reviewers[1].email)
    assert "Applications to review" not in client.get("/learning/dashboard").get_data(
        as_text=True)


def test_every_change_needs_the_csrf_token(make_app, call_world: Any) -> None:
    world = call_world
    application = _assigned(world)
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    login_page = client.get("/auth/login").get_data(as_text=True)
    token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/auth/login", data={"email": world.reviewers[0].email,
                                     "password": "a long enough passphrase",
                                     "csrf_token": token})
    assert client.get(f"/reviews/{application.id}").status_code == 200  # logged in
    assert client.post(f"/reviews/{application.id}", data=FORM_POINTS).status_code == 400
    assert client.post(f"/reviews/{application.id}/conflict",
                       data={"reason": "x"}).status_code == 400
    assert db.session.scalar(select(ReviewScore.id)) is None


def test_a_withdrawn_application_leaves_the_reviewers_work(client, call_world: Any) -> None:
    world = call_world
    application = _assigned(world)
    application.state = "withdrawn"
    db.session.commit()
    login(client, world.reviewers[0].email)
    text = client.get("/reviews/").get_data(as_text=True)
    assert "withdrawn by the applicant" in text and "0 to score" in text
    assert f'href="/reviews/{application.id}"' not in text
    assert client.get(f"/reviews/{application.id}").status_code == 404
    assert "Applications to review" not in client.get("/learning/dashboard").get_data(
        as_text=True)


def test_once_the_call_is_decided_the_pages_only_show(client, call_world: Any) -> None:
    world = call_world
    application = _assigned(world)
    world.call.status = "decided"
    db.session.commit()
    login(client, world.reviewers[0].email)
    text = client.get(f"/reviews/{application.id}").get_data(as_text=True)
    assert "Save my score" not in text and "Declare a conflict" not in text
    page = client.post(f"/reviews/{application.id}", data=FORM_POINTS)
    assert "The selection of this call is signed" in page.get_data(as_text=True)
    assert db.session.scalar(select(ReviewScore.id)) is None
    _switch(client, world.officer.email)
    text = client.get(f"/reviews/call/{world.call.id}").get_data(as_text=True)
    assert "its reviews are closed" in text
    assert "Spread evenly" not in text and "Add the reviewer" not in text


def test_the_officer_removes_a_reviewer_and_sees_every_score(client, call_world: Any) -> None:
    world = call_world
    rosa, ravi = world.reviewers
    application = world.apply()
    spread_reviews(world.officer, world.call, world.clock())
    score_application(rosa, application, world.call, POINTS, "Solid.", world.clock())
    db.session.commit()
    login(client, world.officer.email)
    text = client.get(f"/reviews/{application.id}").get_data(as_text=True)
    assert "Rosa Reviewer" in text and "Solid." in text and "12 of 15" in text
    assert "Save my score" not in text  # an officer who is no reviewer of it only reads
    page = client.post(f"/reviews/call/{world.call.id}/reviewers/{ravi.id}/remove",
                       follow_redirects=True)
    assert "The reviewer is off the call, and off 1 application." in page.get_data(
        as_text=True)
    page = client.post(f"/reviews/call/{world.call.id}/reviewers/{rosa.id}/remove",
                       follow_redirects=True)
    assert "their scores stay, and so do they" in page.get_data(as_text=True)


def test_the_calls_page_links_to_the_reviews(app, call_world: Any) -> None:
    from app.reviews.panels import call_links

    world = call_world
    with app.test_request_context():
        [officer] = call_links(world.call, world.officer)
        assert officer.endpoint == "reviews.call_page"
        assert officer.values == {"call_id": world.call.id}
        [reviewer] = call_links(world.call, world.reviewers[0])
        assert reviewer.endpoint == "reviews.index"
        assert call_links(world.call, world.network.stranger) == []
