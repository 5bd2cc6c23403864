"""Certificates: issued on completion across modalities, PDF with a QR code that decodes to
the verify page, public verification, revocation."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
import zxingcpp
from pypdf import PdfReader
from sqlalchemy import select

from app.certificates.models import Certificate, format_code, normalise_code
from app.certificates.rules import ModuleLine, competencies, credit_hours, modalities
from app.certificates.services import revoke_certificate
from app.classroom.services import Mark, record_attendance, register_for_session
from app.core.errors import PermissionDenied, ValidationError
from app.extensions import db
from app.learning.models import Enrolment
from app.learning.services import complete_module
from app.practicals.services import ItemMark, open_assessment, save_marks, sign_assessment
from app.records.models import Event
from tests.blended import Gxp, complete_virtual_parts
from tests.catalogs import Messages
from tests.conftest import DEFAULT_PASSWORD, login

DAY = datetime(2026, 3, 9, 0, 0, tzinfo=UTC)
LATER = DAY.replace(hour=4)


def test_what_a_certificate_states() -> None:
    lines = [ModuleLine("virtual", 45, False, ("A",)), ModuleLine("classroom", 180, False, ("B",)),
             ModuleLine("hands-on", 120, False, ("A", "C")), ModuleLine("virtual", 600, True)]
    assert credit_hours(None, lines) == 5.8
    assert credit_hours(9, lines) == 9
    assert credit_hours(None, [ModuleLine("virtual", None, False)]) is None
    assert modalities(lines) == ["virtual", "classroom", "hands-on"]
    assert competencies([], lines) == ["A", "B", "C"]
    assert competencies(["X"], lines) == ["X"]
    code = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    assert format_code(code) == "ABCD-EFGH-JKLM-NPQR-STUV-WXYZ"
    assert normalise_code(" abcd-efgh jklm ") == "ABCDEFGHJKLM"


def finish_gxp(gxp: Gxp, learner, clock) -> Certificate:
    """Every modality: read and assessed virtual modules, the workshop (attendance and the
    written assessment), the gowning practical (attendance and a signed pass)."""
    complete_virtual_parts(gxp, learner, clock())
    workshop = gxp.schedule(gxp.workshop, DAY)
    practical = gxp.schedule(gxp.gowning, LATER)
    for session in (workshop, practical):
        register_for_session(learner, session, clock())
    record_attendance(gxp.instructor, workshop, {learner.id: Mark("present")}, DAY)
    complete_module(learner, gxp.workshop, DAY, via="assessment")
    record_attendance(gxp.instructor, practical, {learner.id: Mark("late")}, LATER)
    assessment = open_assessment(gxp.instructor, gxp.checklist, learner, LATER)
    save_marks(gxp.instructor, assessment,
               {i["key"]: ItemMark("met") for i in assessment.items}, LATER)
    sign_assessment(gxp.instructor, assessment, password=DEFAULT_PASSWORD, now=LATER)
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == learner.id))
    assert certificate is not None
    db.session.commit()
    return certificate


def test_completing_every_modality_issues_one_certificate(gxp: Gxp, clock) -> None:
    amina = gxp.learners[0]
    certificate = finish_gxp(gxp, amina, clock)
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == amina.id,
                                                          Enrolment.course_id == gxp.course.id))
    assert enrolment is not None and enrolment.completed_at == LATER
    assert (certificate.learner_name, certificate.course_title, certificate.completed_at) == (
        amina.name, gxp.course.title, LATER)
    assert certificate.hours == 9  # the course file's hours
    assert certificate.modalities == ["virtual", "classroom", "hands-on"]
    assert "GXP-ASEP" in certificate.competencies
    assert len(certificate.code) == 24 and certificate.code.isalnum()
    issued = db.session.scalars(select(Event).where(Event.action == "certificate.issued")).all()
    assert len(issued) == 1 and issued[0].actor_name == "TrainHub (automatic)"


def test_the_pdf_carries_the_facts_and_a_qr_code_to_the_verify_page(client, gxp: Gxp,
                                                                      clock) -> None:
    amina, kim = gxp.learners
    certificate = finish_gxp(gxp, amina, clock)
    login(client, amina.email)
    dashboard = client.get("/learning/dashboard")
    assert b"download the certificate (PDF)" in dashboard.data
    answer = client.get(f"/certificates/{certificate.display_code}.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for fact in (amina.name, gxp.course.title, "Completed on Mon 9 Mar 2026", "9 credit hours",
                 "virtual, classroom, hands-on", "GXP-ASEP", certificate.display_code):
        assert fact in text, fact
    images = reader.pages[0].images
    assert len(images) == 1
    decoded = zxingcpp.read_barcodes(images[0].image)
    assert [d.format for d in decoded] == [zxingcpp.BarcodeFormat.QRCode]
    url = decoded[0].text
    assert url == f"http://localhost/certificates/verify/{certificate.display_code}"
    client.post("/auth/logout")
    login(client, kim.email)
    assert client.get(f"/certificates/{certificate.display_code}.pdf").status_code == 403


def test_public_verification_says_only_what_was_printed(client, gxp: Gxp, clock) -> None:
    amina = gxp.learners[0]
    certificate = finish_gxp(gxp, amina, clock)
    valid = client.get(f"/certificates/verify/{certificate.display_code}")  # nobody logged in
    page = valid.get_data(as_text=True)
    assert valid.status_code == 200 and "Valid." in page
    assert amina.name in page and gxp.course.title in page and "Mon 9 Mar 2026" in page
    assert amina.email not in page and "Biovaccines" not in page
    assert client.get(f"/certificates/verify/{certificate.code.lower()}").status_code == 200
    unknown = client.get("/certificates/verify/AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
    assert unknown.status_code == 404 and b"Unknown code" in unknown.data
    assert amina.name.encode() not in unknown.data
    lookup = client.get("/certificates/verify/", query_string={"code": certificate.display_code})
    assert lookup.status_code == 302


def test_the_address_printed_on_older_certificates_still_verifies(client, gxp: Gxp,
                                                                   clock) -> None:
    """Certificates printed before the move carry /verify/<code> in text and QR code."""
    certificate = finish_gxp(gxp, gxp.learners[0], clock)
    old = f"/verify/{certificate.display_code}"
    moved = client.get(old)
    assert moved.status_code == 301
    assert moved.headers["Location"] == f"/certificates/verify/{certificate.display_code}"
    page = client.get(old, follow_redirects=True)
    assert page.status_code == 200 and b"Valid." in page.data
    assert client.get("/verify/AAAA-BBBB", follow_redirects=True).status_code == 404


def test_an_admin_revokes_with_a_reason(client, gxp: Gxp, clock) -> None:
    amina = gxp.learners[0]
    certificate = finish_gxp(gxp, amina, clock)
    with pytest.raises(PermissionDenied):
        revoke_certificate(gxp.instructor, certificate, "no", clock())
    with pytest.raises(ValidationError):
        revoke_certificate(gxp.admin, certificate, "  ", clock())
    login(client, amina.email)
    assert client.get(f"/certificates/{certificate.display_code}/revoke").status_code == 403
    client.post("/auth/logout")
    login(client, gxp.admin.email)
    listing = client.get("/certificates/manage", query_string={"q": "amina"})
    assert certificate.display_code.encode() in listing.data
    refused = client.post(f"/certificates/{certificate.display_code}/revoke", data={"reason": ""})
    assert b"Say why the certificate is revoked." in refused.data
    client.post(f"/certificates/{certificate.display_code}/revoke",
                data={"reason": "Issued in error: attendance was entered for the wrong person"})
    client.post("/auth/logout")
    page = client.get(f"/certificates/verify/{certificate.display_code}").get_data(as_text=True)
    assert "Revoked" in page and "no longer valid" in page
    assert "wrong person" not in page  # the reason stays internal
    revoked = db.session.scalar(select(Event).where(Event.action == "certificate.revoked"))
    assert revoked is not None and revoked.reason.startswith("Issued in error")


FRENCH: Messages = {
    "Certificate of completion": "Certificat de réussite",
    "has completed the course": "a suivi avec succès la formation",
    ("%(hours)s credit hour", "%(hours)s credit hours"): ("%(hours)s heure de formation",
                                                         "%(hours)s heures de formation"),
    "Modalities: %(modalities)s": "Modalités : %(modalities)s",
    "virtual": "à distance", "classroom": "en salle", "hands-on": "pratique",
    "Verification code: %(code)s": "Code de vérification : %(code)s",
    "Valid.": "Valide.",
}


def test_the_certificate_is_in_the_language_of_whoever_downloads_it(
        gxp: Gxp, clock, make_translated_app) -> None:
    amina = gxp.learners[0]
    certificate = finish_gxp(gxp, amina, clock)
    french = make_translated_app("fr", FRENCH)
    visitor = french.test_client()
    login(visitor, amina.email)
    address = f"/certificates/{certificate.display_code}.pdf"

    def text(language: str) -> str:
        answer = visitor.get(address, headers={"Accept-Language": language})
        return PdfReader(io.BytesIO(answer.data)).pages[0].extract_text()

    in_french = text("fr")
    for fact in ("Certificat de réussite", "a suivi avec succès la formation",
                 "9 heures de formation", "Modalités : à distance, en salle, pratique",
                 f"Code de vérification : {certificate.display_code}", amina.name,
                 gxp.course.title):
        assert fact in in_french, fact
    assert "Certificate of completion" not in in_french
    assert "Certificate of completion" in text("en")
    verify = visitor.get(f"/certificates/verify/{certificate.display_code}",
                         headers={"Accept-Language": "fr"})
    assert "Valide." in verify.get_data(as_text=True)
    # The stored modalities stay the course files' words, whatever the language.
    db.session.refresh(certificate)
    assert certificate.modalities == ["virtual", "classroom", "hands-on"]
