"""A centre application accepted: the network administrator creates the centre from it,
through the centres' own `create_centre`, and may make the applicant its administrator."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.calls.models import Application, Call
from app.centres.models import Centre
from app.centres.rules import normal_code
from app.centres.services import CentreDetails, create_centre
from app.centres.staff import grant_centre_role
from app.core.auth import authorize
from app.core.errors import ValidationError
from app.core.i18n import LANGUAGES
from app.extensions import db
from app.offers import queries
from app.records.services import record_event

# The form's answers read into the centre's fields, by the keys a centre call's form uses.
ANSWER_KEYS = {
    "address": ("address", "postal_address"),
    "website": ("website", "web_site", "url"),
    "contact_email": ("contact_email", "email"),
    "contact_phone": ("contact_phone", "phone", "telephone"),
    "region": ("region",),
}


def may_create_centre_from(application: Application, call: Call) -> bool:
    """An accepted (or confirmed) application to a centre call, not turned into a centre."""
    return (call.kind == "centre" and application.state in ("accepted", "confirmed")
            and queries.centre_created(application.id) is None)


def _answer(answers: dict[str, Any], keys: tuple[str, ...]) -> str:
    return next((str(answers[key]).strip() for key in keys
                 if isinstance(answers.get(key), str | int) and str(answers[key]).strip()), "")


def proposed_code(name: str) -> str:
    """A code from the organisation's initials: 'Institut Pasteur de Dakar' is IPD."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in name).split() if w]
    capitals = [w for w in words if w[0].isupper()] or words  # "de", "of" do not count
    initials = "".join(w[0] for w in capitals if w[0].isascii() and w[0].isalpha()).upper()
    return normal_code(initials[:16]) if len(initials) >= 2 else ""


def centre_details_from(application: Application, applicant: User) -> CentreDetails:
    """The centre form, filled from the application: the name from the organisation, the
    country from its nationality, the rest from the answers with those keys."""
    answers = dict(application.answers or {})
    found = {name: _answer(answers, keys) for name, keys in ANSWER_KEYS.items()}
    language = applicant.language if applicant.language in LANGUAGES else "en"
    return CentreDetails(
        code=proposed_code(application.organisation), name=application.organisation,
        country=application.nationality or "", timezone=applicant.timezone or "UTC",
        languages=(language,), region=found["region"], contact_email=found["contact_email"],
        contact_phone=found["contact_phone"], address=found["address"],
        website=found["website"])


def create_centre_from_application(actor: User, application: Application, call: Call,
                                   details: CentreDetails, *, make_admin: bool,
                                   now: datetime) -> Centre:
    authorize(actor, "centre.manage", None)
    if not may_create_centre_from(application, call):
        raise ValidationError(_l("A centre is created once, from an accepted centre "
                                 "application."))
    centre = create_centre(actor, details, now)
    applicant = db.session.get(User, application.applicant_id)
    assert applicant is not None
    if make_admin:
        grant_centre_role(actor, centre, applicant, "centre_admin", now)
    record_event(queries.CENTRE_CREATED, actor=actor, now=now, subject_type="application",
                 subject_id=application.id, learner_id=applicant.id,
                 details={"call": call.id, "centre": centre.code,
                          "applicant_made_admin": make_admin})
    return centre
