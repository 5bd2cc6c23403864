"""Read-side queries of the centre pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Subquery, column, select, table

from app.auth.models import User
from app.centres.models import Centre, CentreRole
from app.centres.scope import centre_roles, is_network_admin
from app.core.errors import found_or_404
from app.extensions import db


def centre_or_404(code: str) -> Centre:
    return found_or_404(db.session.scalars(select(Centre).where(Centre.code == code)).first())


def all_centres() -> list[Centre]:
    return list(db.session.scalars(select(Centre).order_by(Centre.is_hub.desc(), Centre.name)))


def centres_by_id(ids: frozenset[int] | None) -> list[Centre]:
    """The centres of `ids` (None: all), the hub first."""
    statement = select(Centre).order_by(Centre.is_hub.desc(), Centre.name)
    if ids is not None:
        statement = statement.where(Centre.id.in_(sorted(ids)))
    return list(db.session.scalars(statement))


def my_centres(user: Any) -> list[tuple[Centre, list[str]]]:
    """The centres where `user` holds a role, each with those roles; none for the network
    administrator, who sees every centre from the menu."""
    if is_network_admin(user):
        return []
    held = centre_roles(user)
    if not held:
        return []
    return [(centre, sorted(role for centre_id, role in held if centre_id == centre.id))
            for centre in centres_by_id(frozenset(centre_id for centre_id, _role in held))]


@dataclass(frozen=True)
class Holder:
    user_id: int
    name: str
    email: str
    role: str


def role_holders(centre_id: int) -> list[Holder]:
    """Everyone holding a role at the centre, by name: one statement."""
    return [Holder(row.id, row.name, row.email, row.role) for row in db.session.execute(
        select(User.id, User.name, User.email, CentreRole.role)
        .join(CentreRole, CentreRole.user_id == User.id)
        .where(CentreRole.centre_id == centre_id).order_by(User.name, CentreRole.role))]


def theme_of(centre_id: int) -> tuple[str, str, str, str] | None:
    """(code, theme version, primary, accent) without the logo's bytes."""
    row = db.session.execute(select(Centre.code, Centre.theme_version, Centre.primary_colour,
                                    Centre.accent_colour).where(Centre.id == centre_id)).first()
    return None if row is None else (row.code, row.theme_version, row.primary_colour,
                                     row.accent_colour)


_enrolments = table("enrolments", column("course_id"), column("user_id"), column("centre_id"))


def enrolment_centres() -> Subquery:
    """Each enrolment's centre by name, (course_id, user_id, name): what the training record
    joins so that every entry of a course names the centre it was taken through."""
    return (select(_enrolments.c.course_id, _enrolments.c.user_id, Centre.name)
            .join(Centre, Centre.id == _enrolments.c.centre_id).subquery("entry_centres"))
