"""The training network's centres, the roles people hold at them, and the courses each
offers. The hub is a centre too, marked `is_hub`; a course belongs to exactly one centre
and may be offered by others (shared, not copied)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model

# The roles held at a centre; the network administrator is the account-wide `admin` role.
CENTRE_ROLES = ("centre_admin", "instructor", "assessor", "programme_officer")


class Centre(Model):
    __tablename__ = "centres"
    __table_args__ = (
        # At most one hub: a partial unique index, on SQLite and PostgreSQL alike.
        Index("ix_centres_one_hub", "is_hub", unique=True, sqlite_where=text("is_hub"),
              postgresql_where=text("is_hub")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    region: Mapped[str] = mapped_column(String(60), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    # The small theme: a raster logo kept in the database, and two colours (#rrggbb).
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str] = mapped_column(String(40), default="")
    primary_colour: Mapped[str] = mapped_column(String(7), default="#1d4f73")
    accent_colour: Mapped[str] = mapped_column(String(7), default="#2f7d4f")
    # Changes with the theme: the stylesheet's and logo's URLs carry it (rules.theme_version).
    theme_version: Mapped[str] = mapped_column(String(12), default="", server_default="")
    is_hub: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]


class CentreRole(Model):
    """A role a person holds at one centre; a person may hold roles at several."""

    __tablename__ = "centre_roles"
    __table_args__ = (
        CheckConstraint("role IN ('centre_admin', 'instructor', 'assessor', "
                        "'programme_officer')", name="known_role"),
    )

    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    assigned_at: Mapped[datetime]
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CentreCourse(Model):
    """A course another centre owns, offered in this centre's catalogue. A centre's own
    courses are in its catalogue without a row here."""

    __tablename__ = "centre_courses"

    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), primary_key=True,
                                           index=True)
    offered_at: Mapped[datetime]
    offered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
