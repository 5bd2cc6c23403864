"""Electronic signatures: password at signing, bound to content, recorded, locked on abuse."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.core.errors import ValidationError
from app.extensions import db
from app.records.meanings import meaning_shown
from app.records.models import Event, Signature
from app.records.services import content_hash, verify_chain
from app.records.signatures import Refused, SigningLocked, sign, signing_locked_until
from tests.conftest import DEFAULT_PASSWORD


def _sign(user, clock, password=DEFAULT_PASSWORD):
    return sign(user, password=password, meaning="Assessed: competent",
                subject_type="checklist_attempt", subject_id=12,
                content={"items": [1, 2, 3], "outcome": "pass"}, now=clock(),
                learner_id=user.id)


def test_a_signature_binds_signer_time_meaning_and_content(app, clock, make_user) -> None:
    assessor = make_user(name="Kim Min-jun")
    signature = _sign(assessor, clock)
    db.session.commit()
    assert signature.printed_name == "Kim Min-jun" and signature.signed_at == clock()
    assert signature.content_hash == content_hash({"outcome": "pass", "items": [1, 2, 3]})
    assert signature.manifestation == (
        "Signed by Kim Min-jun on 2026-03-02 at 09:00 UTC: Assessed: competent")
    event = db.session.get(Event, signature.event_id)
    assert event is not None and event.action == "signature.signed"
    assert event.details["content_hash"] == signature.content_hash
    assert (event.actor_id, event.learner_id) == (assessor.id, assessor.id)
    assert verify_chain().ok


def test_a_wrong_password_is_refused_and_logged(app, clock, make_user) -> None:
    assessor = make_user()
    refusal = _sign(assessor, clock, password="not my password")
    assert isinstance(refusal, Refused) and isinstance(refusal.error, ValidationError)
    assert "nothing was signed" in refusal.error.message and refusal.error.field == "password"
    db.session.commit()  # as the request boundary does: the refusal stays on record
    assert db.session.scalars(select(Signature)).all() == []
    refused = db.session.scalars(select(Event).where(Event.action == "signature.refused")).all()
    assert len(refused) == 1 and refused[0].details == {"meaning": "Assessed: competent"}


def test_repeated_failures_lock_signing_for_a_while(app, clock, make_user) -> None:
    assessor = make_user()
    for _ in range(3):
        assert isinstance(_sign(assessor, clock, password="not my password").error,
                          ValidationError)
        clock.advance(minutes=1)
    db.session.commit()
    # Locked until 15 minutes after the third refusal: one minute later it is still locked.
    assert signing_locked_until(assessor, clock()) == clock() + timedelta(minutes=14)
    # Even the right password waits, and the attempt is logged.
    locked = _sign(assessor, clock)
    assert isinstance(locked, Refused) and isinstance(locked.error, SigningLocked)
    assert "Try again in 15 minutes" in locked.error.message
    db.session.commit()
    locked_attempt = db.session.scalars(select(Event).where(
        Event.action == "signature.refused").order_by(Event.seq.desc())).first()
    assert locked_attempt is not None and locked_attempt.details["locked"] is True
    clock.advance(minutes=14)
    assert signing_locked_until(assessor, clock()) is not None  # the attempt extended it
    clock.advance(minutes=2)
    assert signing_locked_until(assessor, clock()) is None
    signed = _sign(assessor, clock)
    assert isinstance(signed, Signature) and signed.id is not None


def test_a_meaning_is_signed_in_english_and_shown_in_the_reader_s_language(
        make_translated_app, clock, make_user) -> None:
    """The stored words stay those signed; every view shows the meaning a feature registered
    for them in the page's language, and unknown words (an older meaning) as they are."""
    french = make_translated_app("fr", {"Assessed: competent": "Évalué : compétent"})
    with french.app_context():
        signature_id = _sign(make_user(name="Kim Min-jun"), clock).id
        db.session.commit()
    # Each request its own app context: Flask-Babel keeps the locale it chose on it.
    with french.test_request_context(headers={"Accept-Language": "fr"}):
        signature = db.session.get(Signature, signature_id)
        assert signature is not None and signature.meaning == "Assessed: competent"
        assert meaning_shown("Assessed: competent") == "Évalué : compétent"
        assert signature.manifestation.endswith(": Évalué : compétent")
        assert meaning_shown("Approved long ago") == "Approved long ago"
    with french.test_request_context(headers={"Accept-Language": "en"}):
        signature = db.session.get(Signature, signature_id)
        assert signature is not None
        assert signature.manifestation.endswith(": Assessed: competent")
