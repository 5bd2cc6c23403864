"""Programmes (an ordered set of courses with completion requirements) and intakes (one run
of a programme at a centre, with its dates, seats, facilitators, learners and deadlines)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model

# all: every course; n_of_m: `required_count` of them; modality: `modality_counts` courses
# of each modality (for example one hands-on course and two virtual ones).
REQUIREMENTS = ("all", "n_of_m", "modality")
MODALITIES = ("virtual", "classroom", "hands-on")
INTAKE_STAFF_ROLES = ("lead", "facilitator", "assessor")


class Programme(Model):
    __tablename__ = "programmes"
    __table_args__ = (
        UniqueConstraint("centre_id", "code"),
        CheckConstraint("requirement IN ('all', 'n_of_m', 'modality')", name="known_requirement"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    requirement: Mapped[str] = mapped_column(String(10), default="all")
    required_count: Mapped[int | None]
    modality_counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    certificate: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ProgrammeCourse(Model):
    __tablename__ = "programme_courses"
    __table_args__ = (
        CheckConstraint("modality IN ('virtual', 'classroom', 'hands-on')", name="known_modality"),
    )

    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"),
                                              primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), primary_key=True,
                                           index=True)
    position: Mapped[int]
    modality: Mapped[str] = mapped_column(String(10), default="virtual")


class Intake(Model):
    __tablename__ = "intakes"
    __table_args__ = (UniqueConstraint("centre_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    timezone: Mapped[str] = mapped_column(String(64))
    seats: Mapped[int]
    # The modality mix, in days.
    virtual_days: Mapped[int] = mapped_column(default=0)
    classroom_days: Mapped[int] = mapped_column(default=0)
    hands_on_days: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class IntakeMember(Model):
    """A learner of an intake."""

    __tablename__ = "intake_members"

    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    added_at: Mapped[datetime]
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    completed_at: Mapped[datetime | None]


class IntakeStaff(Model):
    """The intake's facilitator team."""

    __tablename__ = "intake_staff"
    __table_args__ = (
        CheckConstraint("role IN ('lead', 'facilitator', 'assessor')", name="known_role"),
    )

    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(12), primary_key=True)


class IntakeDeadline(Model):
    """"Complete module X by day N" for a self-paced part of an intake (day 1 = starts_on)."""

    __tablename__ = "intake_deadlines"

    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id", ondelete="CASCADE"),
                                           primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), primary_key=True)
    due_day: Mapped[int]
