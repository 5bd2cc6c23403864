"""Who may do what with a call and its applications, on the centre's roles
(app/centres/scope.py) and the call's own reviewers.

- A call's programme officers (and centre administrators, and the network administrator)
  write it, assign its reviewers, run its selection and see everything of it, personal data
  included.
- A reviewer sees the applications assigned to them without a declared conflict, and never
  the personal data; with blind review, not the name, e-mail or organisation either.
- An applicant sees their own application and nothing else.
"""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.calls.models import Application, Call, CallReviewer, ReviewAssignment
from app.centres.scope import may_staff_centre
from app.core.auth import authorize_or_403
from app.extensions import db

OFFICERS = ("centre_admin", "programme_officer")


def call_run_by_viewer(call_id: int) -> Call:
    """The call for one of its officers, on a page: 404 if there is none, 403 for anyone
    else (the request's user)."""
    call = db.get_or_404(Call, call_id)
    authorize_or_403("call.run", call)
    return call


def may_run_call(actor: User, call: Call) -> bool:
    return may_staff_centre(actor, call.centre_id, *OFFICERS)


def may_run_calls_of(actor: User, centre_id: int | None) -> bool:
    """Writing a new call for a centre."""
    return centre_id is not None and may_staff_centre(actor, centre_id, *OFFICERS)


def is_reviewer(actor: User, call: Call) -> bool:
    return db.session.scalar(select(CallReviewer.user_id).where(
        CallReviewer.call_id == call.id, CallReviewer.user_id == actor.id)) is not None


def reviews(actor: User, application: Application) -> bool:
    """Assigned to score the application, with no conflict declared."""
    return db.session.scalar(select(ReviewAssignment.id).where(
        ReviewAssignment.application_id == application.id,
        ReviewAssignment.reviewer_id == actor.id,
        ReviewAssignment.conflict_at.is_(None))) is not None


def may_see_application(actor: User, pair: tuple[Application, Call]) -> bool:
    """The answers and the documents: the applicant, the call's officers, and its
    reviewers who were assigned it without a conflict."""
    application, call = pair
    return (application.applicant_id == actor.id or may_run_call(actor, call)
            or reviews(actor, application))


def may_see_personal(actor: User, pair: tuple[Application, Call]) -> bool:
    """Passport data: the applicant and the call's officers only."""
    application, call = pair
    return application.applicant_id == actor.id or may_run_call(actor, call)


def is_applicant(actor: User, application: Application) -> bool:
    return application.applicant_id == actor.id
