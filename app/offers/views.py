"""What the offer pages show, read for the views: the application with its call, the
offer page's facts, and the PDFs as downloads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Response
from sqlalchemy import select

from app.auth.models import User
from app.calls.access import may_run_call
from app.calls.models import Application, ApplicationPersonal, Call
from app.core.auth import can
from app.core.errors import found_or_404
from app.core.headers import NO_STORE
from app.core.zones import format_local
from app.extensions import db
from app.intakes.models import Intake
from app.offers import queries
from app.offers.centres import may_create_centre_from
from app.offers.rules import letter_kind, may_answer
from app.offers.services import letter_filename


def application_and_call(application_id: int) -> tuple[Application, Call]:
    """The application and its call in one statement, or 404."""
    row = found_or_404(db.session.execute(
        select(Application, Call).join(Call, Call.id == Application.call_id)
        .where(Application.id == application_id)).first())
    return row[0], row[1]


def applicant_of(application: Application) -> User:
    return found_or_404(db.session.get(User, application.applicant_id))


def call_or_404(call_id: int) -> Call:
    return found_or_404(db.session.get(Call, call_id))


@dataclass(frozen=True)
class OfferPage:
    application: Application
    call: Call
    intake: Intake | None
    letter: str | None  # acceptance, waitlist or regret
    may_answer: bool
    deadline_in_call_zone: str
    place_in_line: int | None
    visa_letter: bool
    officer: bool
    centre_code: str | None
    may_create_centre: bool


def offer_page(application: Application, call: Call, viewer: Any, now: datetime
               ) -> OfferPage:
    intake = db.session.get(Intake, call.intake_id) if call.intake_id else None
    visa = (call.asks_travel_details and application.state in ("accepted", "confirmed")
            and db.session.get(ApplicationPersonal, application.id) is not None)
    centre_code = queries.centre_created(application.id) if call.kind == "centre" else None
    return OfferPage(
        application=application, call=call, intake=intake,
        letter=letter_kind(application.state),
        may_answer=(application.applicant_id == viewer.id
                    and may_answer(application.state, application.respond_by, now)),
        deadline_in_call_zone=format_local(application.respond_by, call.timezone),
        place_in_line=queries.place_in_line(application), visa_letter=bool(visa),
        officer=may_run_call(viewer, call), centre_code=centre_code,
        may_create_centre=(call.kind == "centre" and can(viewer, "centre.manage")
                           and may_create_centre_from(application, call)))


def pdf_download(content: bytes, filename: str) -> Response:
    """A PDF as an attachment: not sniffed, not stored by any cache."""
    return Response(content, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "X-Content-Type-Options": "nosniff", "Cache-Control": NO_STORE,
        "Content-Length": str(len(content))})


def letter_download(application: Application, content: bytes) -> Response:
    return pdf_download(content, letter_filename(letter_kind(application.state) or "decision",
                                                 application.id))
