"""Applying to a call: starting the one application a person has for it, saving it as they
go (an optimistic lock on its version), its documents, handing it in, and taking it back.

Services take the actor and `now`, flush and never commit (the request's boundary does),
and raise the domain errors of app/core/errors.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.applications.checklist import Missing, missing_items, verdict_of
from app.applications.mails import send_received
from app.applications.pdfcheck import CheckedPdf, check_pdf
from app.applications.standard import clean_personal, clean_standard
from app.auth.models import User
from app.calls.fields import FieldKinds, FileField, field_kinds
from app.calls.models import Application, ApplicationFile, ApplicationPersonal, Call
from app.calls.problems import Problem
from app.calls.rules import call_phase, may_withdraw
from app.core.countries import is_country_code
from app.core.errors import DomainError, PermissionDenied, ValidationError
from app.extensions import db
from app.records.services import record_event
from app.reports.income import classification

CLOSED = _l("This call is not open for applications: its deadline has passed or it has not "
            "opened yet.")
FROZEN = _l("This application has been handed in: its answers can no longer change.")


def kinds() -> FieldKinds:
    return field_kinds(is_country_code)


def is_lmic(code: str) -> bool:
    return classification().is_lmic(code)


class StaleSave(DomainError):
    """The page was saved from elsewhere since it was loaded: nothing of this save is kept."""

    def __init__(self, current_version: int) -> None:
        super().__init__(_l("This application was saved from another page or device since you "
                            "opened this one, so what you typed here was not saved. It is "
                            "still on this page: check it, then save again to keep it, or "
                            "reload to see the other version."))
        self.current_version = current_version


@dataclass(frozen=True)
class SaveOutcome:
    version: int
    saved_at: datetime
    problems: list[Problem] = field(default_factory=list)  # answers refused, by input name


def _own(actor: User, application: Application) -> None:
    if application.applicant_id != actor.id:
        raise PermissionDenied("not the applicant")


def _open(call: Call, now: datetime) -> None:
    if call_phase(call.status, call.opens_at, call.closes_at, now) != "open":
        raise ValidationError(CLOSED)


def _draft(application: Application) -> None:
    if application.state != "draft":
        raise ValidationError(FROZEN)


def application_of(call: Call, actor: User) -> Application | None:
    return db.session.scalar(select(Application).where(
        Application.call_id == call.id, Application.applicant_id == actor.id))


def start_application(actor: User, call: Call, now: datetime) -> Application:
    """The person's application to the call: the one they have, or a new draft filled in
    from their profile while the call is open (one per person and call)."""
    existing = application_of(call, actor)
    if existing is not None:
        return existing
    _open(call, now)
    application = Application(
        call_id=call.id, applicant_id=actor.id, state="draft", answers={},
        nationality=actor.country, organisation=actor.organisation or "",
        created_at=now, saved_at=now, version=1)
    if call.kind != "centre":
        application.residence = actor.country
        application.organisation_type = actor.organisation_type
        application.gender = actor.gender
    _judge(application, call)
    try:
        with db.session.begin_nested():  # the same person starting twice at once
            db.session.add(application)
    except IntegrityError:
        existing = application_of(call, actor)
        if existing is None:
            raise
        return existing
    return application


def _judge(application: Application, call: Call) -> None:
    """Eligibility kept on the row, for the applicant's page and the board."""
    verdict = verdict_of(call.eligibility or {}, _columns(application), is_lmic)
    application.eligible = verdict.eligible
    application.ineligible_reasons = [reason.as_json() for reason in verdict.reasons]


def _columns(application: Application) -> dict[str, Any]:
    return {"nationality": application.nationality, "residence": application.residence,
            "organisation": application.organisation,
            "organisation_type": application.organisation_type, "gender": application.gender,
            "experience_years": application.experience_years}


def personal_of(application: Application) -> ApplicationPersonal | None:
    return db.session.get(ApplicationPersonal, application.id)


def personal_values(row: ApplicationPersonal | None) -> dict[str, Any]:
    if row is None:
        return {}
    return {"name_in_passport": row.name_in_passport, "passport_number": row.passport_number,
            "passport_expires_on": row.passport_expires_on, "date_of_birth": row.date_of_birth,
            "nationality": row.nationality}


@dataclass(frozen=True)
class Sent:
    """What a page sent, by section: the call's own questions by field key, the standard
    questions and the travel details by input name."""

    answers: Mapping[str, Any] = field(default_factory=dict)
    standard: Mapping[str, Any] = field(default_factory=dict)
    personal: Mapping[str, Any] = field(default_factory=dict)


def save_application(actor: User, application: Application, call: Call, sent: Sent,
                     version: int | None, now: datetime,
                     uploads: Mapping[str, tuple[str, bytes]] | None = None) -> SaveOutcome:
    """Store what the page sent: the keys it sent only, the valid ones even when others are
    refused (their problems come back, keyed by input name: `q-<key>` for the call's own
    questions). A save from a page loaded at an older `version` is refused whole
    (StaleSave); None skips the check."""
    _own(actor, application)
    _draft(application)
    _open(call, now)
    claimed = db.session.execute(
        update(Application).where(Application.id == application.id,
                                  Application.version == (version if version is not None
                                                          else application.version))
        .values(version=Application.version + 1, saved_at=now)
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.refresh(application)
        raise StaleSave(application.version)
    db.session.refresh(application)
    problems = _store_answers(application, call, sent, now)
    for key, (filename, content) in (uploads or {}).items():
        outcome = _store_upload(application, call, key, filename, content, now)
        if isinstance(outcome, Problem):
            problems.append(outcome)
    _judge(application, call)
    db.session.flush()
    return SaveOutcome(application.version, now, problems)


def _store_answers(application: Application, call: Call, sent: Sent,
                   now: datetime) -> list[Problem]:
    answers, refused = kinds().clean_answers(call.form or [], sent.answers)
    problems = [Problem(f"q-{problem.key}", problem.message, problem.values)
                for problem in refused]
    if answers:
        application.answers = {**(application.answers or {}), **answers}
    columns, standard_problems = clean_standard(call.kind, sent.standard, is_country_code)
    problems.extend(standard_problems)
    for key, value in columns.items():
        setattr(application, key, value)
    if call.kind == "centre" and "nationality" in columns:
        application.residence = columns["nationality"]
    if call.asks_travel_details:
        personal, personal_problems = clean_personal(sent.personal, is_country_code)
        problems.extend(personal_problems)
        if personal:
            row = personal_of(application)
            if row is None:
                row = ApplicationPersonal(application_id=application.id, saved_at=now)
                db.session.add(row)
            for key, value in personal.items():
                setattr(row, key, value)
            row.saved_at = now
    return problems


def file_fields(call: Call) -> dict[str, Mapping[str, Any]]:
    return {definition["key"]: definition for definition in call.form or []
            if definition.get("kind") == FileField.kind}


def _store_upload(application: Application, call: Call, key: str, filename: str,
                  content: bytes, now: datetime) -> ApplicationFile | Problem:
    definition = file_fields(call).get(key)
    if definition is None:
        raise ValidationError(_l("This form has no such document."))
    checked = check_pdf(content, max_bytes=FileField.max_bytes(definition))
    if isinstance(checked, Problem):
        return Problem(f"q-{key}", checked.message, checked.values)
    return _keep_file(application, key, filename, content, checked, now)


def _keep_file(application: Application, key: str, filename: str, content: bytes,
               checked: CheckedPdf, now: datetime) -> ApplicationFile:
    """The latest upload of a field replaces the one before."""
    row = db.session.scalar(select(ApplicationFile).where(
        ApplicationFile.application_id == application.id, ApplicationFile.field_key == key))
    if row is None:
        row = ApplicationFile(application_id=application.id, field_key=key)
        db.session.add(row)
    row.filename = (filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1] or "document.pdf")[:200]
    row.size, row.pages, row.sha256 = checked.size, checked.pages, checked.sha256
    row.content = content
    row.uploaded_at = now
    db.session.flush()
    return row


def upload_document(actor: User, application: Application, call: Call, key: str,
                    filename: str, content: bytes, now: datetime) -> ApplicationFile:
    """One document for a file field of the form, checked (pdfcheck.py) and stored."""
    _own(actor, application)
    # Two uploads of one document at once (two tabs): the second waits here and replaces
    # the first's file instead of inserting a second row for the field.
    db.session.refresh(application, with_for_update=True)
    _draft(application)
    _open(call, now)
    outcome = _store_upload(application, call, key, filename, content, now)
    if isinstance(outcome, Problem):
        raise ValidationError(_l(outcome.message, **outcome.values), field=key)
    application.saved_at = now
    return outcome


def uploaded_keys(application: Application) -> set[str]:
    return set(db.session.scalars(select(ApplicationFile.field_key).where(
        ApplicationFile.application_id == application.id)))


def what_is_missing(application: Application, call: Call, files: set[str],
                    personal: ApplicationPersonal | None) -> list[Missing]:
    return missing_items(kinds(), call.kind, call.form or [], _columns(application),
                         application.answers or {}, files, personal_values(personal),
                         call.asks_travel_details)


class NotSubmittable(ValidationError):
    """Every reason at once: what is missing, what is wrong, why not eligible, the
    deadline."""

    def __init__(self, missing: list[Missing], reasons: list[dict[str, Any]],
                 closed: bool) -> None:
        super().__init__(_l("Your application cannot be handed in yet."))
        self.missing, self.reasons, self.closed = missing, reasons, closed


def submit_application(actor: User, application: Application, call: Call,
                       now: datetime) -> Application:
    """Hand the application in, before the deadline (an instant: `closes_at`), complete and
    eligible; the applicant is sent a confirmation."""
    _own(actor, application)
    _draft(application)
    # Judged again, in case the call's rules changed since the last save; written only once
    # nothing refuses the hand-in.
    verdict = verdict_of(call.eligibility or {}, _columns(application), is_lmic)
    reasons = [reason.as_json() for reason in verdict.reasons]
    missing = what_is_missing(application, call, uploaded_keys(application),
                              personal_of(application))
    closed = call_phase(call.status, call.opens_at, call.closes_at, now) != "open"
    if missing or not verdict.eligible or closed:
        raise NotSubmittable(missing, reasons, closed)
    application.eligible, application.ineligible_reasons = True, []
    application.state = "submitted"
    application.submitted_at = now
    application.version += 1
    record_event("application.submitted", actor=actor, now=now, subject_type="application",
                 subject_id=application.id, details={"call_id": call.id,
                                                     "country": application.nationality,
                                                     "eligible": application.eligible})
    send_received(actor, application, call, now)
    db.session.flush()
    return application


def withdraw_application(actor: User, application: Application, call: Call,
                         now: datetime) -> Application:
    _own(actor, application)
    if not may_withdraw(application.state):
        raise ValidationError(_l("This application can no longer be withdrawn: a decision "
                                 "has been made."))
    was = application.state
    application.state = "withdrawn"
    application.withdrawn_at = now
    application.version += 1
    record_event("application.withdrawn", actor=actor, now=now, subject_type="application",
                 subject_id=application.id, details={"call_id": call.id, "was": was})
    db.session.flush()
    return application
