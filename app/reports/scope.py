"""Which centres a member of staff may see reports of.

A private stand-in for `app.centres.scope` (issue 21: the centres helper writes that module,
with exactly these names and signatures); once it lands, this module goes and its callers
import `staff_centre_ids` and `may_staff_centre` from there.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.centres.models import CentreRole
from app.core.roles import Role
from app.extensions import db


def staff_centre_ids(user: Any, *roles: str) -> frozenset[int] | None:
    """The ids of the centres where `user` holds any of `roles` (any centre role if none is
    given); None means every centre: the network administrator."""
    if user.has_role(Role.ADMIN):
        return None
    statement = select(CentreRole.centre_id).where(CentreRole.user_id == user.id)
    if roles:
        statement = statement.where(CentreRole.role.in_(roles))
    return frozenset(db.session.scalars(statement.distinct()))


def may_staff_centre(user: Any, centre_id: int, *roles: str) -> bool:
    centres = staff_centre_ids(user, *roles)
    return centres is None or centre_id in centres
