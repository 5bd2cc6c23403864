"""What the tests of calls, applications, reviews, selection and offers share: the intakes
tests' network (tests/intakes/network.py) with a programme officer, two reviewers and a
June intake, a published call for that intake, and `apply` to put an application in any
state without going through the applying pages (the `call_world` fixture of
tests/conftest.py builds it)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from pypdf import PdfWriter

from app.auth.models import User
from app.calls.models import (
    Application,
    ApplicationFile,
    ApplicationPersonal,
    Call,
    CallReviewer,
)
from app.centres.models import CentreRole
from app.content.models import Course
from app.extensions import db
from app.intakes.models import Intake
from app.intakes.services import IntakePlan, create_intake
from tests.intakes.network import Network, build_network

OPENS = datetime(2026, 2, 1, tzinfo=UTC)
CLOSES = datetime(2026, 3, 31, 14, 59, tzinfo=UTC)  # 23:59 on 31 March in Seoul

FORM: list[dict[str, Any]] = [
    {"key": "role", "kind": "text", "label": "Current job title", "required": True,
     "max_length": 120},
    {"key": "motivation", "kind": "long_text", "label": "Why do you want this training?",
     "required": True, "min_words": 5, "max_words": 300},
    {"key": "track", "kind": "choice", "label": "Which track?", "required": True,
     "choices": ["mRNA vaccines", "Monoclonal antibodies", "Insulin"]},
    {"key": "cv", "kind": "file", "label": "CV (PDF)", "required": True, "max_mb": 2},
    {"key": "endorsement", "kind": "file", "label": "Employer's letter of endorsement (PDF)",
     "required": True, "max_mb": 2},
]
RUBRIC: list[dict[str, Any]] = [
    {"key": "experience", "label": "Relevant production experience", "max": 5},
    {"key": "motivation", "label": "Motivation and plan to apply the training", "max": 5},
    {"key": "impact", "label": "Impact on the home organisation", "max": 5},
]
ELIGIBILITY: dict[str, Any] = {"countries": "lmic", "residence_too": True,
                               "organisation_types": ["manufacturer", "regulator", "government"],
                               "min_experience_years": 2}


def pdf_bytes(pages: int = 1) -> bytes:
    """A small, real, passive PDF."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass
class CallWorld:
    network: Network
    officer: User  # Pat, programme officer at the network's centre
    reviewers: list[User]  # Rosa and Ravi, the call's reviewers
    intake: Intake  # the June intake the call fills
    call: Call
    clock: Callable[[], datetime]
    make_user: Callable[..., User]
    applications: list[Application] = field(default_factory=list)

    def apply(self, user: User | None = None, *, state: str = "submitted",
              nationality: str = "NG", residence: str | None = None,
              organisation: str = "Biovaccines Nigeria", organisation_type: str = "manufacturer",
              gender: str | None = "female", experience_years: int = 5,
              files: bool = True, personal: bool = True, call: Call | None = None,
              **answers: Any) -> Application:
        """An application in `state`, as if the applicant had filled in the whole form."""
        call = call or self.call
        now = self.clock()
        user = user or self.make_user(country=nationality, organisation=organisation)
        application = Application(
            call_id=call.id, applicant_id=user.id, state=state,
            answers={"role": "Production supervisor",
                     "motivation": "To run the new fill and finish line at home.",
                     "track": "mRNA vaccines", **answers},
            nationality=nationality, residence=residence or nationality,
            organisation=organisation, organisation_type=organisation_type, gender=gender,
            experience_years=experience_years, eligible=True, ineligible_reasons=[],
            created_at=now, saved_at=now,
            submitted_at=now if state != "draft" else None)
        db.session.add(application)
        db.session.flush()
        if files:
            content = pdf_bytes()
            for key in ("cv", "endorsement"):
                db.session.add(ApplicationFile(
                    application_id=application.id, field_key=key, filename=f"{key}.pdf",
                    size=len(content), pages=1, sha256=hashlib.sha256(content).hexdigest(),
                    content=content, uploaded_at=now))
        if personal:
            db.session.add(ApplicationPersonal(
                application_id=application.id, name_in_passport=user.name.upper(),
                passport_number=f"P{application.id:07d}", passport_expires_on=date(2030, 1, 1),
                date_of_birth=date(1990, 5, 17), nationality=nationality, saved_at=now))
        db.session.commit()
        self.applications.append(application)
        return application


def build_call_world(make_course: Callable[..., Course], make_user: Callable[..., User],
                     clock: Callable[[], datetime]) -> CallWorld:
    network = build_network(make_course, make_user, clock)
    now = clock()
    officer = make_user("pat@example.org", name="Pat Officer")
    db.session.add(CentreRole(centre_id=network.centre.id, user_id=officer.id,
                              role="programme_officer", assigned_at=now))
    intake = create_intake(network.admin, network.programme, IntakePlan(
        code="IBDM-2026-06", title="IBDM June 2026", starts_on=date(2026, 6, 1),
        ends_on=date(2026, 6, 12), timezone="Asia/Seoul", seats=30, virtual_days=9,
        classroom_days=2, hands_on_days=1, staff={}), now)
    call = Call(
        centre_id=network.centre.id, intake_id=intake.id, kind="trainee", code="IBDM-2026-06",
        title="Call for applications: IBDM June 2026",
        description="Production staff of LMIC vaccine manufacturers may apply.",
        description_html="<p>Production staff of LMIC vaccine manufacturers may apply.</p>",
        opens_at=OPENS, closes_at=CLOSES, timezone="Asia/Seoul", places=4, languages=["en"],
        eligibility=dict(ELIGIBILITY), form=[dict(f) for f in FORM],
        rubric=[dict(c) for c in RUBRIC], quotas={"country_max": 2},
        asks_travel_details=True, reviews_per_application=2, status="published",
        published_at=now, created_at=now, created_by_id=officer.id)
    db.session.add(call)
    db.session.flush()
    reviewers = [make_user("rosa@example.org", name="Rosa Reviewer"),
                 make_user("ravi@example.org", name="Ravi Reviewer")]
    for reviewer in reviewers:
        db.session.add(CallReviewer(call_id=call.id, user_id=reviewer.id, added_at=now,
                                    added_by_id=officer.id))
    db.session.commit()
    return CallWorld(network, officer, reviewers, intake, call, clock, make_user)
