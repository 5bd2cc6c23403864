"""Who teaches a course, who takes it, and how far each learner has come."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model

STAFF_ROLES = ("instructor", "assessor")
ENROLMENT_STATES = ("requested", "active", "declined", "withdrawn")


class CourseStaff(Model):
    """An instructor or assessor assigned to a course by an administrator."""

    __tablename__ = "course_staff"
    __table_args__ = (CheckConstraint("role IN ('instructor', 'assessor')", name="known_role"),)

    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    assigned_at: Mapped[datetime]


class Enrolment(Model):
    __tablename__ = "enrolments"
    __table_args__ = (
        UniqueConstraint("course_id", "user_id"),
        CheckConstraint("status IN ('requested', 'active', 'declined', 'withdrawn')",
                        name="known_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    requested_at: Mapped[datetime]
    enrolled_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    withdrawn_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    # The centre through whose catalogue (or intake) the learner enrolled: its staff follow
    # the learner in this course, and the training record names it.
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True)
    # "Continue where you left off".
    last_module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id"))


class ModuleProgress(Model):
    """One learner's progress in one module. An earlier completion stays in the audit chain
    when the module's version rises; here `completed_version` tells that retraining is due."""

    __tablename__ = "module_progress"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    first_viewed_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    completed_version: Mapped[int | None]


class RetrainingNotice(Model):
    """That a learner was told their completion of a module's `version` needs retraining:
    one row per learner, module and version, so the daily scan never tells it twice."""

    __tablename__ = "retraining_notices"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), primary_key=True)
    version: Mapped[int] = mapped_column(primary_key=True)
    notified_at: Mapped[datetime]
