"""Applying without HTTP: starting, saving as one goes, documents, handing in, withdrawing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.applications.services import (
    NotSubmittable,
    Sent,
    StaleSave,
    save_application,
    start_application,
    submit_application,
    upload_document,
    uploaded_keys,
    what_is_missing,
    withdraw_application,
)
from app.calls.models import Application, ApplicationFile, ApplicationPersonal
from app.core.errors import PermissionDenied, ValidationError
from app.extensions import db
from app.mail.models import OutboxMessage
from app.records.models import Event
from tests.applications.helpers import PASSPORT, applicant_of, filled, found
from tests.calls.world import CLOSES, pdf_bytes


def test_starting_prefills_from_the_profile_and_keeps_one_per_person(call_world) -> None:
    user = call_world.make_user(country="GH", organisation="Accra Biologics")
    first = start_application(user, call_world.call, call_world.clock())
    again = start_application(user, call_world.call, call_world.clock())
    assert first.id == again.id
    assert (first.nationality, first.residence, first.organisation) == \
        ("GH", "GH", "Accra Biologics")
    assert first.state == "draft" and not first.eligible  # years and type still unknown


def test_no_new_application_once_the_call_has_closed(call_world) -> None:
    call_world.clock.current = CLOSES
    with pytest.raises(ValidationError):
        start_application(call_world.make_user(), call_world.call, call_world.clock())


def test_a_save_keeps_what_it_did_not_send(call_world) -> None:
    application = filled(call_world)
    user = applicant_of(application)
    outcome = save_application(user, application, call_world.call,
                               Sent({"role": "Head of quality"}), application.version,
                               call_world.clock())
    assert outcome.problems == []
    assert application.answers["role"] == "Head of quality"
    assert application.answers["track"] == "mRNA vaccines"
    assert application.organisation == "Biovaccines Nigeria"
    assert found(db.session.get(ApplicationPersonal, application.id)).passport_number == PASSPORT


def test_an_invalid_answer_is_reported_and_the_valid_ones_kept(call_world) -> None:
    application = filled(call_world)
    user = applicant_of(application)
    outcome = save_application(
        user, application, call_world.call,
        Sent({"motivation": "word " * 301, "role": "QA lead"},
             {"experience_years": "many", "organisation": "New Org"},
             {"passport_expires_on": "next year"}),
        application.version, call_world.clock())
    assert {p.key for p in outcome.problems} == {"q-motivation", "experience_years",
                                                "passport_expires_on"}
    assert application.answers["role"] == "QA lead"
    assert application.answers["motivation"].startswith("To run")  # the saved one stays
    assert application.organisation == "New Org" and application.experience_years == 6


def test_a_stale_save_never_overwrites_a_newer_one(call_world) -> None:
    application = filled(call_world)
    user = applicant_of(application)
    loaded = application.version
    save_application(user, application, call_world.call, Sent({"role": "Newer"}), loaded,
                     call_world.clock())
    with pytest.raises(StaleSave) as refused:
        save_application(user, application, call_world.call, Sent({"role": "Older"}), loaded,
                         call_world.clock())
    assert refused.value.current_version == loaded + 1
    assert application.answers["role"] == "Newer"


def test_eligibility_is_kept_on_each_save(call_world) -> None:
    application = filled(call_world, nationality="KR", residence="KR", experience_years="1")
    assert application.eligible is False
    codes = {reason["code"] for reason in application.ineligible_reasons}
    assert codes == {"nationality_not_lmic", "residence_not_lmic", "experience"}
    user = applicant_of(application)
    save_application(user, application, call_world.call,
                     Sent(standard={"nationality": "KE", "residence": "KE",
                                    "experience_years": "3"}),
                     application.version, call_world.clock())
    assert application.eligible is True and application.ineligible_reasons == []


def test_the_latest_upload_replaces_the_earlier_and_bad_ones_are_refused(call_world) -> None:
    application = filled(call_world)
    user = applicant_of(application)
    upload_document(user, application, call_world.call, "cv", "new cv.pdf", pdf_bytes(4),
                    call_world.clock())
    rows = db.session.scalars(select(ApplicationFile).where(
        ApplicationFile.application_id == application.id,
        ApplicationFile.field_key == "cv")).all()
    assert [(row.filename, row.pages) for row in rows] == [("new cv.pdf", 4)]
    with pytest.raises(ValidationError) as refused:
        upload_document(user, application, call_world.call, "cv", "cv.pdf", b"MZ not a pdf",
                        call_world.clock())
    assert refused.value.field == "cv"
    with pytest.raises(ValidationError):
        upload_document(user, application, call_world.call, "photo", "x.pdf", pdf_bytes(),
                        call_world.clock())


def test_handing_in_refuses_with_every_reason_at_once(call_world) -> None:
    application = filled(call_world, documents=False, nationality="KR", role="")
    user = applicant_of(application)
    with pytest.raises(NotSubmittable) as refused:
        submit_application(user, application, call_world.call, call_world.clock())
    assert {item.key for item in refused.value.missing} == {"role", "cv", "endorsement"}
    assert [r["code"] for r in refused.value.reasons] == ["nationality_not_lmic"]
    assert refused.value.closed is False
    assert application.state == "draft"


@pytest.mark.parametrize(("moment", "accepted"), [
    (datetime(2026, 3, 31, 14, 58, 59, tzinfo=UTC), True),  # 23:58:59 in Seoul
    (datetime(2026, 3, 31, 14, 59, tzinfo=UTC), False),  # 23:59 in Seoul: the deadline
])
def test_the_deadline_is_an_instant_in_seoul_time(call_world, moment, accepted) -> None:
    application = filled(call_world)
    user = applicant_of(application)
    if accepted:
        submit_application(user, application, call_world.call, moment)
        assert application.submitted_at == moment
        return
    with pytest.raises(NotSubmittable) as refused:
        submit_application(user, application, call_world.call, moment)
    assert refused.value.closed and refused.value.missing == []


def test_handing_in_audits_mails_and_freezes(call_world) -> None:
    application = filled(call_world)
    user = applicant_of(application)
    submit_application(user, application, call_world.call, call_world.clock())
    db.session.commit()
    assert application.state == "submitted"
    event = found(db.session.scalar(select(Event).where(Event.action == "application.submitted")))
    assert event.subject_id == str(application.id) and event.actor_id == user.id
    mail = found(db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.recipient == user.email)))
    assert "Application received" in mail.subject
    assert PASSPORT.encode() not in mail.message
    with pytest.raises(ValidationError):
        save_application(user, application, call_world.call, Sent({"role": "Late"}), None,
                         call_world.clock())
    with pytest.raises(ValidationError):
        upload_document(user, application, call_world.call, "cv", "cv.pdf", pdf_bytes(),
                        call_world.clock())
    assert uploaded_keys(application) == {"cv", "endorsement"}
    assert what_is_missing(application, call_world.call, {"cv", "endorsement"},
                           db.session.get(ApplicationPersonal, application.id)) == []


def test_only_the_applicant_saves_or_hands_in(call_world) -> None:
    application = filled(call_world)
    other = call_world.make_user()
    with pytest.raises(PermissionDenied):
        save_application(other, application, call_world.call, Sent({"role": "x"}), None,
                         call_world.clock())
    with pytest.raises(PermissionDenied):
        submit_application(call_world.officer, application, call_world.call,
                           call_world.clock())


def test_withdrawing_is_audited_and_refused_after_a_decision(call_world) -> None:
    application = filled(call_world)
    user = applicant_of(application)
    submit_application(user, application, call_world.call, call_world.clock())
    withdraw_application(user, application, call_world.call, call_world.clock())
    assert application.state == "withdrawn" and application.withdrawn_at is not None
    assert db.session.scalar(select(Event.details).where(
        Event.action == "application.withdrawn")) == {"call_id": call_world.call.id,
                                                      "was": "submitted"}
    decided = call_world.apply(state="accepted")
    applicant = applicant_of(decided)
    with pytest.raises(ValidationError):
        withdraw_application(applicant, decided, call_world.call, call_world.clock())
    assert found(db.session.get(Application, decided.id)).state == "accepted"


def test_a_centre_call_asks_the_institution_and_judges_its_country(call_world) -> None:
    call = call_world.call
    call.kind, call.eligibility = "centre", {"countries": "list", "country_list": ["KE", "GH"]}
    user = call_world.make_user(country="NG", organisation="Someone's own employer")
    application = start_application(user, call, call_world.clock())
    assert application.residence is None and application.organisation_type is None
    save_application(user, application, call,
                     Sent(standard={"nationality": "KE", "organisation": "Nairobi Biotech",
                                    "organisation_type": "regulator"}),
                     application.version, call_world.clock())
    assert (application.nationality, application.residence) == ("KE", "KE")
    assert application.organisation == "Nairobi Biotech"
    assert application.organisation_type is None  # not a question of a centre call
    assert application.eligible is True
