"""Hands-on pages through the test client: who may see, mark and sign."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.practicals.models import PracticalAssessment, PracticalMark
from app.practicals.services import open_assessment
from app.records.models import Signature
from tests.blended import Gxp, unlock_gowning
from tests.catalogs import Messages
from tests.conftest import DEFAULT_PASSWORD, committed, committed_refusals, login


def test_an_assessor_marks_signs_and_the_learner_sees_the_record(client, gxp: Gxp,
                                                                 clock) -> None:
    amina, kim = gxp.learners
    unlock_gowning(gxp, amina, clock())
    db.session.commit()
    login(client, amina.email)
    asked = client.post(f"/practicals/courses/{gxp.course.slug}/gowning-signoff/mine",
                        follow_redirects=True)
    assert b"Your request is with the course" in asked.data
    client.post("/auth/logout")

    login(client, gxp.instructor.email)
    overview = client.get(f"/practicals/courses/{gxp.course.slug}/")
    assert b"Asked to be assessed" in overview.data
    opened = client.post(
        f"/practicals/courses/{gxp.course.slug}/gowning-signoff/learners/{amina.id}/open")
    assessment = db.session.scalar(select(PracticalAssessment))
    assert assessment is not None
    assert opened.headers["Location"].endswith(f"/practicals/{assessment.id}/")
    marks = {f"mark-{i['key']}": "met" for i in assessment.items}
    marks["mark-2"], marks["note-2"] = "not_met", "phone in the chest pocket"
    page = client.post(f"/practicals/{assessment.id}/", data=marks, follow_redirects=True)
    assert b"Assessed: competent" in page.data and b"95% of applicable items met" in page.data
    wrong = client.post(f"/practicals/{assessment.id}/sign",
                        data={"password": "not mine", "confirm": "y"})
    assert b"The password is not right" in wrong.data
    assert committed_refusals() == 1  # the refusal is kept, the assessment is not signed
    assert committed(select(PracticalAssessment.state)) == "open"
    signed = client.post(f"/practicals/{assessment.id}/sign",
                         data={"password": DEFAULT_PASSWORD, "confirm": "y"},
                         follow_redirects=True)
    assert b"Signed: Assessed: competent." in signed.data
    client.post("/auth/logout")

    login(client, amina.email)
    mine = client.get(f"/practicals/{assessment.id}/").get_data(as_text=True)
    assert "phone in the chest pocket" in mine and "Not met" in mine
    assert f"Signed by {gxp.instructor.name}" in mine and "Assessed: competent" in mine
    assert 'name="mark-' not in mine  # a learner reads, never marks
    client.post("/auth/logout")
    login(client, kim.email)
    assert client.get(f"/practicals/{assessment.id}/").status_code == 403


def test_learners_and_assessors_of_other_courses_get_403(client, gxp: Gxp, clock) -> None:
    amina = gxp.learners[0]
    assessment = open_assessment(gxp.instructor, gxp.checklist, amina, clock())
    db.session.commit()
    overview = f"/practicals/courses/{gxp.course.slug}/"
    opening = f"/practicals/courses/{gxp.course.slug}/gowning-signoff/learners/{amina.id}/open"
    for user in (amina, gxp.outsider):
        login(client, user.email)
        assert client.get(overview).status_code == 403
        assert client.post(opening).status_code == 403
        assert client.post(f"/practicals/{assessment.id}/",
                           data={"mark-1": "met"}).status_code == 403
        assert client.post(f"/practicals/{assessment.id}/sign",
                           data={"password": DEFAULT_PASSWORD, "confirm": "y"}
                           ).status_code == 403
        client.post("/auth/logout")
    db.session.refresh(assessment)
    assert assessment.state == "open" and assessment.signature_id is None


def test_a_checklist_mark_that_is_not_a_mark_is_shown_next_to_its_item(client, gxp: Gxp,
                                                                        clock) -> None:
    amina = gxp.learners[0]
    unlock_gowning(gxp, amina, clock())
    db.session.commit()
    login(client, gxp.instructor.email)
    client.post(
        f"/practicals/courses/{gxp.course.slug}/gowning-signoff/learners/{amina.id}/open")
    assessment = db.session.scalar(select(PracticalAssessment))
    assert assessment is not None
    marks = {f"mark-{i['key']}": "met" for i in assessment.items}
    marks["mark-2"], marks["note-2"] = "maybe", "phone in the chest pocket"
    bad = client.post(f"/practicals/{assessment.id}/", data=marks)
    page = bad.get_data(as_text=True)
    assert bad.status_code == 200
    assert ('<p class="field-error" id="mark-2-error">Mark this item met, not met or not '
            "applicable.</p>") in page
    assert page.count('aria-describedby="mark-2-error"') == 1
    assert 'id="mark-1-error"' not in page
    assert 'value="phone in the chest pocket"' in page
    assert 'name="mark-1" value="met" checked' in page
    assert committed(select(db.func.count()).select_from(PracticalMark)) == 0


FRENCH: Messages = {
    "Met": "Acquis", "Not met": "Non acquis", "Not applicable": "Sans objet",
    "Assessed: competent": "Évalué : compétent",
    "Signed: %(meaning)s.": "Signé : %(meaning)s.",
    "You have been assessed competent already.": "Vous avez déjà été évalué compétent.",
}


def test_the_sign_off_is_shown_in_the_assessors_language_and_signed_in_english(
        gxp: Gxp, clock, make_translated_app) -> None:
    amina = gxp.learners[0]
    unlock_gowning(gxp, amina, clock())
    assessment = open_assessment(gxp.instructor, gxp.checklist, amina, clock())
    db.session.commit()
    french = make_translated_app("fr", FRENCH)
    visitor = french.test_client()
    fr = {"Accept-Language": "fr"}
    login(visitor, gxp.instructor.email)
    marks = {f"mark-{i['key']}": "met" for i in assessment.items}
    page = visitor.post(f"/practicals/{assessment.id}/", data=marks, headers=fr,
                        follow_redirects=True).get_data(as_text=True)
    assert "Acquis" in page and "Sans objet" in page and "Évalué : compétent" in page
    signed = visitor.post(f"/practicals/{assessment.id}/sign", headers=fr,
                          data={"password": DEFAULT_PASSWORD, "confirm": "y"},
                          follow_redirects=True).get_data(as_text=True)
    assert "Signé : Évalué : compétent." in signed
    assert committed(select(Signature.meaning)) == "Assessed: competent"
    visitor.post("/auth/logout")
    login(visitor, amina.email)
    mine = visitor.get(f"/practicals/courses/{gxp.course.slug}/gowning-signoff/mine",
                       headers=fr).get_data(as_text=True)
    asked = visitor.post(f"/practicals/courses/{gxp.course.slug}/gowning-signoff/mine",
                         headers=fr, follow_redirects=True).get_data(as_text=True)
    assert "Vous avez déjà été évalué compétent." in asked
    assert "You have been assessed competent." in mine  # not in the test's catalog
