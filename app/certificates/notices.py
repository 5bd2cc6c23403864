"""What certificates tell people: a learner that their certificate was issued."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.certificates.models import Certificate
from app.notifications.kinds import KINDS, Audience, Kind
from app.notifications.services import Link, notify

ISSUED = "certificates.issued"


def init_notices(app: Flask) -> None:
    KINDS.register(app, ISSUED, Kind(ISSUED, _l("Your certificate was issued"),
                                     Audience.LEARNER))


def tell_issued(learner: User, certificate: Certificate, now: datetime) -> None:
    notify(learner, ISSUED, template="notifications/certificate_issued",
           context={"course_title": certificate.course_title,
                    "code": certificate.display_code},
           url=Link.to("certificates.download", code=certificate.code), now=now)
