"""Scheduled instances of live modules, who holds a seat, who came."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model

REGISTRATION_STATES = ("registered", "waitlisted", "cancelled")
ATTENDANCE_MARKS = ("present", "late", "absent", "excused")


class ClassSession(Model):
    """One scheduled instance of a module with a `session:` block. Times are stored in UTC;
    `timezone` is where the session takes place, for the calendar file."""

    __tablename__ = "class_sessions"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity > 0", name="positive_capacity"),
        Index("ix_class_sessions_course_id_starts_at", "course_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    # A session held for one intake (its learners' schedule); None: open to the course.
    intake_id: Mapped[int | None] = mapped_column(ForeignKey("intakes.id"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    timezone: Mapped[str] = mapped_column(String(64))
    capacity: Mapped[int]
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    location: Mapped[str] = mapped_column(String(300), default="")
    # Online sessions only; shown to registered learners and staff, never to others.
    join_url: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    # Calendar clients match updates by UID and order them by SEQUENCE, which a change of
    # time, place or join link raises (`changes.change_session`).
    uid: Mapped[str] = mapped_column(String(100), unique=True)
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    # A cancelled session keeps its row and its registrations: listings, the feed and the
    # records still show it, as cancelled.
    cancelled_at: Mapped[datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancel_reason: Mapped[str] = mapped_column(Text, default="", server_default="")


class Registration(Model):
    """A learner's seat or waitlist place. `placed_at` orders the waitlist."""

    __tablename__ = "session_registrations"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id"),
        CheckConstraint("status IN ('registered', 'waitlisted', 'cancelled')",
                        name="known_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_sessions.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    placed_at: Mapped[datetime]
    cancelled_at: Mapped[datetime | None]
    # When the reminders the day before and the hour before were claimed (`reminders`): each
    # is set once, by the one conditional UPDATE that wins it.
    day_reminded_at: Mapped[datetime | None]
    hour_reminded_at: Mapped[datetime | None]


class Attendance(Model):
    """The facilitator's latest mark for one learner at one session; every mark and change
    is an `attendance.recorded` event in the audit chain."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id"),
        CheckConstraint("mark IN ('present', 'late', 'absent', 'excused')", name="known_mark"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_sessions.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    mark: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class CalendarFeed(Model):
    """A user's private calendar address. The token is the only secret in the URL; a user
    can replace it, which ends the old address."""

    __tablename__ = "calendar_feeds"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
