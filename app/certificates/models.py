"""Certificates of completion: what was printed on them, and whether they still stand."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model


class Certificate(Model):
    """Issued once per completed enrolment. The printed facts are copied here so that a later
    change of name or course title does not change what the certificate said; a revoked
    certificate stays, marked revoked, so that its code keeps answering."""

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("enrolment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # 120 random bits in base32: unguessable, and easy to read aloud or type from paper.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # None on a programme certificate, which names its intake instead.
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"), index=True)
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("enrolments.id"))
    # A programme certificate: the intake whose programme was completed.
    intake_id: Mapped[int | None] = mapped_column(ForeignKey("intakes.id"), index=True)
    # A programme certificate's courses as printed: [{"title": ..., "hours": ...}].
    courses: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list,
                                                              server_default="[]")
    learner_name: Mapped[str] = mapped_column(String(200))
    course_title: Mapped[str] = mapped_column(String(300))
    completed_at: Mapped[datetime]
    issued_at: Mapped[datetime]
    hours: Mapped[float | None]
    modalities: Mapped[list[str]] = mapped_column(JSON, default=list)
    competencies: Mapped[list[str]] = mapped_column(JSON, default=list)
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str] = mapped_column(Text, default="")

    @property
    def display_code(self) -> str:
        return format_code(self.code)


def format_code(code: str) -> str:
    """'ABCD-EFGH-…': groups of four, as printed."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalise_code(text: str) -> str:
    """What a person typed or a QR code carried, in the stored form."""
    return "".join(ch for ch in text.upper() if ch.isalnum())
