"""Who may do what with programmes and intakes: the centre's roles, read through
app/centres/scope.py, and the intake's own staff."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.centres.scope import may_staff_centre
from app.extensions import db
from app.intakes.models import Intake, IntakeStaff

MANAGERS = ("centre_admin", "programme_officer")
FOLLOWERS = ("instructor", "assessor")


def may_manage_centre(actor: User, centre_id: int | None) -> bool:
    """Programmes and intakes of a centre: its centre administrators and programme officers,
    and the network administrator."""
    return centre_id is not None and may_staff_centre(actor, centre_id, *MANAGERS)


def may_manage_intake(actor: User, intake: Intake) -> bool:
    return may_manage_centre(actor, intake.centre_id)


def on_intake_staff(user: User, intake_id: int) -> bool:
    return db.session.scalar(select(IntakeStaff.user_id).where(
        IntakeStaff.intake_id == intake_id, IntakeStaff.user_id == user.id).limit(1)) is not None


def may_follow_intake(actor: User, intake: Intake) -> bool:
    """The progress board: the intake's managers and its own staff, and the centre's
    instructors and assessors."""
    return (may_staff_centre(actor, intake.centre_id, *MANAGERS, *FOLLOWERS)
            or on_intake_staff(actor, intake.id))
