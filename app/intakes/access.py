"""Who may do what with programmes and intakes.

`staff_centre_ids` and `may_staff_centre` stand in for app/centres/scope.py, with the
contract's signatures, until the centres feature ships it: then these two go and their
callers import them from there.
"""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.centres.models import CENTRE_ROLES, CentreRole
from app.core.roles import Role
from app.extensions import db
from app.intakes.models import Intake, IntakeStaff

MANAGERS = ("centre_admin", "programme_officer")
FOLLOWERS = ("instructor", "assessor")


def staff_centre_ids(user: User, *roles: str) -> frozenset[int] | None:
    """The ids of the centres where `user` holds any of `roles` (every centre role if none
    is given); None means every centre (the network administrator). One statement."""
    if user.has_role(Role.ADMIN):
        return None
    wanted = roles or CENTRE_ROLES
    return frozenset(db.session.scalars(select(CentreRole.centre_id).where(
        CentreRole.user_id == user.id, CentreRole.role.in_(wanted))))


def may_staff_centre(user: User, centre_id: int, *roles: str) -> bool:
    ids = staff_centre_ids(user, *roles)
    return ids is None or centre_id in ids


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
