"""The roles people hold at a centre: granted and removed by the network administrator at
any centre, by a centre administrator at their own.

The account-wide instructor and assessor roles say "holds this role at some centre", and
are kept in step here: a grant gives the account role, removing the last such centre role
takes it. An account given one of them without a centre (the administrator's account page,
`flask users create`) holds it at the hub, where staff worked before there were centres
(`roles_changed`, auth's ROLES_CHANGED hook); taking it away there ends it at every centre.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.auth.services import set_staff_role
from app.centres.models import CENTRE_ROLES, Centre, CentreRole
from app.centres.scope import forget, may_staff_centre
from app.centres.services import ensure_hub
from app.core.auth import authorize
from app.core.errors import ValidationError
from app.core.roles import Role
from app.extensions import db
from app.records.services import record_event

# The centre roles that an account-wide role mirrors.
ACCOUNT_ROLES = {"instructor": Role.INSTRUCTOR, "assessor": Role.ASSESSOR}


def may_assign_roles(actor: Any, centre: Centre) -> bool:
    """The network administrator at any centre; a centre administrator at their own."""
    return may_staff_centre(actor, centre.id, "centre_admin")


def _held(user_id: int, role: str) -> list[int]:
    return list(db.session.scalars(select(CentreRole.centre_id).where(
        CentreRole.user_id == user_id, CentreRole.role == role)))


def grant_centre_role(actor: Any, centre: Centre, user: User, role: str,
                      now: datetime) -> bool:
    """Give `user` the role at the centre; False when they held it already."""
    authorize(actor, "centre.assign_roles", centre)
    if role not in CENTRE_ROLES:
        raise ValidationError(_l("Choose a role from the list."), field="role")
    if not user.active:
        raise ValidationError(_l("This account is deactivated."), field="email")
    if centre.id in _held(user.id, role):
        return False
    db.session.add(CentreRole(centre_id=centre.id, user_id=user.id, role=role,
                              assigned_at=now, assigned_by_id=getattr(actor, "id", None)))
    db.session.flush()
    record_event("centre.role_granted", actor=actor, now=now, subject_type="user",
                 subject_id=user.id, details={"centre": centre.code, "role": role})
    if role in ACCOUNT_ROLES:
        set_staff_role(actor, user, ACCOUNT_ROLES[role], True, now,
                       reason=f"{role} at centre {centre.code}")
    forget(user)
    return True


def remove_centre_role(actor: Any, centre: Centre, user: User, role: str,
                       now: datetime) -> bool:
    """Take the role at the centre away; False when they did not hold it."""
    authorize(actor, "centre.assign_roles", centre)
    if role == "centre_admin" and actor is not None and actor.id == user.id \
            and not may_staff_centre(actor, None):
        raise ValidationError(_l("A centre administrator cannot remove their own role: ask "
                                 "the network administrator."), field="role")
    if not _take(actor, centre, user, role, now):
        return False
    if role in ACCOUNT_ROLES and not _held(user.id, role):
        set_staff_role(actor, user, ACCOUNT_ROLES[role], False, now,
                       reason=f"no longer {role} at any centre")
    return True


def _take(actor: Any, centre: Centre, user: User, role: str, now: datetime) -> bool:
    row = db.session.get(CentreRole, (centre.id, user.id, role))
    if row is None:
        return False
    db.session.delete(row)
    db.session.flush()
    record_event("centre.role_removed", actor=actor, now=now, subject_type="user",
                 subject_id=user.id, details={"centre": centre.code, "role": role})
    forget(user)
    return True


def roles_changed(actor: User | None, user: User, old: frozenset[Role], new: frozenset[Role],
                  now: datetime) -> None:
    """Auth's hook: an account-wide staff role given without a centre is held at the hub;
    one taken away ends at every centre."""
    for role, account_role in ACCOUNT_ROLES.items():
        if account_role in new and account_role not in old and not _held(user.id, role):
            hub = ensure_hub(now)
            db.session.add(CentreRole(centre_id=hub.id, user_id=user.id, role=role,
                                      assigned_at=now, assigned_by_id=getattr(actor, "id", None)))
            db.session.flush()
            record_event("centre.role_granted", actor=actor, now=now, subject_type="user",
                         subject_id=user.id, details={"centre": hub.code, "role": role,
                                                      "why": "account-wide role"})
            forget(user)
        elif account_role in old and account_role not in new:
            for centre in db.session.scalars(select(Centre).join(
                    CentreRole, CentreRole.centre_id == Centre.id).where(
                    CentreRole.user_id == user.id, CentreRole.role == role)):
                _take(actor, centre, user, role, now)
