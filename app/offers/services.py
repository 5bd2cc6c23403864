"""After the decision: the letters, the answers to an offer, the waitlist that fills a
place given back, and the intake a confirmed applicant joins.

Every change locks the call's row first (`queries.lock_call`), then changes an
application's state with a conditional UPDATE on the state it expects: two requests, or
two nodes running the lapse job, never offer one place twice, and a late answer to an offer
that has just lapsed changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from app.auth.models import User
from app.calls.models import Application, Call, CallDecision
from app.centres.models import Centre
from app.core.errors import NotFound, PermissionDenied, ValidationError
from app.core.zones import format_local
from app.extensions import db
from app.intakes.models import Intake, IntakeMember
from app.intakes.services import add_member, programme_courses, register_for_intake_sessions
from app.mail.outbox import Attachment, queue_mail
from app.mail.render import mail_url, render_mail
from app.offers import queries
from app.offers.letters import (
    LetterFacts,
    Letterhead,
    VisaFacts,
    language_of,
    letter_pdf,
    visa_letter_pdf,
)
from app.offers.models import OfferLetter
from app.offers.rules import letter_kind, may_answer, offers_to_make, respond_by
from app.records.services import record_event

# The session's info key: this transaction signed a decision, so its letters are owed.
LETTERS_DUE = "offers.letters_due"


@dataclass(frozen=True)
class CallContext:
    """What a letter of a call needs besides the application: read once per call."""

    call: Call
    centre: Centre
    intake: Intake | None


def call_context(call: Call) -> CallContext:
    centre = db.session.get(Centre, call.centre_id)
    assert centre is not None
    intake = db.session.get(Intake, call.intake_id) if call.intake_id else None
    return CallContext(call, centre, intake)


def letterhead(centre: Centre) -> Letterhead:
    return Letterhead(centre.name, centre.address, centre.contact_email,
                      centre.contact_phone, centre.website)


def letter_facts(application: Application, applicant: User, context: CallContext,
                 now: datetime) -> LetterFacts:
    kind = letter_kind(application.state)
    if kind is None:
        raise NotFound(_l("There is no decision on this application yet."))
    intake = context.intake
    return LetterFacts(
        kind=kind, applicant_name=applicant.name, call_title=context.call.title,
        letterhead=letterhead(context.centre), timezone=context.call.timezone,
        dated=application.decided_at or now,
        link=mail_url("offers.offer", application_id=application.id),
        intake_title=intake.title if intake else "",
        starts_on=intake.starts_on if intake else None,
        ends_on=intake.ends_on if intake else None,
        respond_by=application.respond_by, waitlist_rank=application.waitlist_rank)


def letter_filename(kind: str, application_id: int) -> str:
    return f"{kind}-letter-{application_id}.pdf"


def queue_letter(application: Application, applicant: User, context: CallContext,
                 now: datetime) -> OfferLetter:
    """The decision letter as a PDF, e-mailed in the applicant's language, and its row."""
    facts = letter_facts(application, applicant, context, now)
    pdf = letter_pdf(facts, applicant.language)
    call_time = format_local(facts.respond_by, facts.timezone,
                             locale=language_of(applicant.language))
    rendered = render_mail(
        f"offers/{facts.kind}", language=applicant.language, timezone=applicant.timezone,
        name=applicant.name, call_title=facts.call_title, intake_title=facts.intake_title,
        respond_by=facts.respond_by, waitlist_rank=facts.waitlist_rank, call_time=call_time,
        application_id=application.id)
    message = queue_mail(to=applicant.email, rendered=rendered, kind=f"offers.{facts.kind}",
                         user_id=applicant.id, now=now, attachments=[Attachment(
                             letter_filename(facts.kind, application.id), pdf,
                             "application/pdf")])
    row = OfferLetter(application_id=application.id, kind=facts.kind, queued_at=now,
                      outbox_message_id=message.id)
    db.session.add(row)
    db.session.flush()
    return row


# --- the letters of a signed decision -----------------------------------------------------

def letters_on_decision(call: Call, decision: CallDecision, *, now: datetime) -> None:
    """DECISION_HOOKS: the letters are owed. Making 3,000 PDFs would hold the signing
    request for minutes, so the letters job makes them once the decision is committed."""
    db.session.info[LETTERS_DUE] = True


LETTER_BATCH = 100


def send_letters(now: datetime, *, batch: int = LETTER_BATCH) -> int:
    """The letters job: every decision letter owed, a batch per transaction, each batch's
    applications locked so that another worker takes others. How many were queued."""
    sent = 0
    contexts: dict[int, CallContext] = {}
    while ids := queries.letters_owed(batch):
        for application, applicant in queries.applications_with_applicants(ids):
            context = contexts.get(application.call_id)
            if context is None:
                call = db.session.get(Call, application.call_id)
                assert call is not None
                context = contexts[call.id] = call_context(call)
            queue_letter(application, applicant, context, now)
            sent += 1
        db.session.commit()
    return sent


# --- answering an offer, and the waitlist ----------------------------------------------

def fill_places(call: Call, now: datetime) -> list[int]:
    """Offer the free places of `call` (its row locked by the caller) to the waitlist, in
    its order and within the quotas: accepted with a new deadline, off the waitlist, an
    acceptance letter, `offer.made`. The applications offered a place."""
    holding, waitlist = queries.places_and_waitlist(call.id)
    offered: list[int] = []
    context: CallContext | None = None
    for candidate in offers_to_make(call.places, holding, waitlist, call.quotas):
        deadline = respond_by(now, call.confirm_days)
        changed = db.session.execute(
            update(Application).where(Application.id == candidate.application_id,
                                      Application.state == "waitlisted")
            .values(state="accepted", respond_by=deadline, waitlist_rank=None,
                    decided_at=now)).rowcount  # type: ignore[attr-defined]
        if changed != 1:
            continue
        application = db.session.get(Application, candidate.application_id,
                                     populate_existing=True)
        assert application is not None
        applicant = db.session.get(User, application.applicant_id)
        assert applicant is not None
        record_event("offer.made", actor=None, automatic=True, now=now,
                     subject_type="application", subject_id=application.id,
                     learner_id=applicant.id, details={
                         "call": call.id, "respond_by": deadline.isoformat(),
                         "from_waitlist": True})
        context = context or call_context(call)
        queue_letter(application, applicant, context, now)
        offered.append(application.id)
    return offered


def _answer(actor: User, application: Application, state: str, now: datetime) -> Call:
    if application.applicant_id != actor.id:
        raise PermissionDenied(_l("Only the applicant answers an offer."))
    call = queries.lock_call(application.call_id)
    db.session.refresh(application)
    if not may_answer(application.state, application.respond_by, now):
        raise ValidationError(_l("This offer can no longer be answered."))
    changed = db.session.execute(
        update(Application).where(Application.id == application.id,
                                  Application.state == "accepted",
                                  Application.respond_by > now)
        .values(state=state, answered_at=now)).rowcount  # type: ignore[attr-defined]
    if changed != 1:
        raise ValidationError(_l("This offer can no longer be answered."))
    db.session.refresh(application)
    record_event(f"offer.{state}", actor=actor, now=now, subject_type="application",
                 subject_id=application.id, learner_id=actor.id,
                 details={"call": call.id})
    return call


def join_intake(learner: User, call: Call, now: datetime) -> IntakeMember | None:
    """A confirmed applicant becomes a learner of the call's intake, enrolled in its
    programme and seated at its sessions to come (as the intake's import does)."""
    if call.intake_id is None:
        return None
    intake = db.session.get(Intake, call.intake_id)
    assert intake is not None
    member = db.session.get(IntakeMember, (intake.id, learner.id))
    if member is not None:
        return member
    member = add_member(learner, intake, learner, programme_courses(intake.programme_id),
                        now, how=f"call {call.code}")
    register_for_intake_sessions(intake, [learner], now)
    return member


def confirm_offer(actor: User, application: Application, now: datetime) -> Call:
    call = _answer(actor, application, "confirmed", now)
    join_intake(actor, call, now)
    return call


def decline_offer(actor: User, application: Application, now: datetime) -> list[int]:
    """Decline, and offer the place to the next one on the waitlist at once."""
    call = _answer(actor, application, "declined", now)
    return fill_places(call, now)


def lapse_offers(now: datetime) -> int:
    """The lapse job: offers past their deadline lapse (`offer.lapsed`), and their places
    go to the waitlist. How many lapsed."""
    lapsed = 0
    for call_id in queries.overdue_calls(now):
        call = queries.lock_call(call_id)
        rows = db.session.execute(
            update(Application).where(Application.call_id == call_id,
                                      Application.state == "accepted",
                                      Application.respond_by <= now)
            .values(state="lapsed", answered_at=now)
            .returning(Application.id, Application.applicant_id)).all()
        for row in rows:
            record_event("offer.lapsed", actor=None, automatic=True, now=now,
                         subject_type="application", subject_id=row.id,
                         learner_id=row.applicant_id, details={"call": call_id})
        lapsed += len(rows)
        if rows:
            fill_places(call, now)
        db.session.commit()
    return lapsed


# --- the letters on the offer page ------------------------------------------------------

def decision_letter(application: Application, call: Call, now: datetime) -> bytes:
    applicant = db.session.get(User, application.applicant_id)
    assert applicant is not None
    return letter_pdf(letter_facts(application, applicant, call_context(call), now),
                      applicant.language)


def visa_letter(application: Application, call: Call, now: datetime) -> bytes:
    """The visa invitation letter: an accepted or confirmed applicant of a call that asks
    for travel details, while their personal data is kept (NotFound otherwise)."""
    from app.calls.models import ApplicationPersonal

    personal = db.session.get(ApplicationPersonal, application.id)
    if (not call.asks_travel_details or application.state not in ("accepted", "confirmed")
            or personal is None):
        raise NotFound(_l("There is no visa letter for this application."))
    applicant = db.session.get(User, application.applicant_id)
    assert applicant is not None
    context = call_context(call)
    centre, intake = context.centre, context.intake
    place = ", ".join(p for p in (centre.name, " ".join(centre.address.split())) if p)
    return visa_letter_pdf(VisaFacts(
        name_in_passport=personal.name_in_passport, passport_number=personal.passport_number,
        nationality=personal.nationality, date_of_birth=personal.date_of_birth,
        passport_expires_on=personal.passport_expires_on,
        intake_title=intake.title if intake else call.title,
        starts_on=intake.starts_on if intake else None,
        ends_on=intake.ends_on if intake else None, place=place,
        letterhead=letterhead(centre), dated=now, timezone=call.timezone),
        applicant.language)
