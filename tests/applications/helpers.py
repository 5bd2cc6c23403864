"""What the applying tests share: a complete set of answers and a filled-in application
through the services, as an applicant would fill it."""

from __future__ import annotations

from typing import Any, TypeVar

from app.applications.services import Sent, save_application, start_application
from app.auth.models import User
from app.calls.models import Application
from app.extensions import db
from tests.calls.world import CallWorld, pdf_bytes

STANDARD = {"nationality": "NG", "residence": "NG", "organisation": "Biovaccines Nigeria",
            "organisation_type": "manufacturer", "gender": "female", "experience_years": "6"}
ANSWERS = {"role": "Production supervisor",
           "motivation": "To run the new fill and finish line at home next year.",
           "track": "mRNA vaccines"}
PASSPORT = "A12345678"
T = TypeVar("T")
PERSONAL = {"name_in_passport": "AMINA YUSUF", "passport_number": PASSPORT,
            "passport_expires_on": "2031-05-01", "date_of_birth": "1991-04-12",
            "passport_nationality": "NG"}


def everything(**changes: Any) -> Sent:
    standard = {**STANDARD, **{k: v for k, v in changes.items() if k in STANDARD}}
    answers = {**ANSWERS, **{k: v for k, v in changes.items() if k in ANSWERS}}
    return Sent(answers, standard, dict(PERSONAL))


def filled(world: CallWorld, user: User | None = None, *, documents: bool = True,
           **changes: Any) -> Application:
    """A complete draft: every answer, both documents and the travel details."""
    user = user or world.make_user(country="NG", organisation="Biovaccines Nigeria")
    now = world.clock()
    application = start_application(user, world.call, now)
    uploads = {"cv": ("cv.pdf", pdf_bytes()), "endorsement": ("letter.pdf", pdf_bytes(2))} \
        if documents else None
    save_application(user, application, world.call, everything(**changes),
                     application.version, now, uploads)
    db.session.commit()
    return application


def applicant_of(application: Application) -> User:
    user = db.session.get(User, application.applicant_id)
    assert user is not None
    return user


def found(value: T | None) -> T:
    assert value is not None
    return value
