"""Observed hands-on assessments against a module's checklist, signed by an assessor."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model

ASSESSMENT_STATES = ("requested", "open", "signed")


class PracticalAssessment(Model):
    """One attempt at a checklist: requested by the learner or opened by an assessor, marked
    item by item, and closed by the assessor's signature. Signed attempts never change."""

    __tablename__ = "practical_assessments"
    __table_args__ = (
        UniqueConstraint("checklist_id", "learner_id", "number"),
        CheckConstraint("state IN ('requested', 'open', 'signed')", name="known_state"),
        Index("ix_practical_assessments_learner_id_checklist_id", "learner_id", "checklist_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_id: Mapped[int] = mapped_column(ForeignKey("checklists.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"))
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    number: Mapped[int | None]  # attempt number, given when the assessment opens
    state: Mapped[str] = mapped_column(String(10))
    requested_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The checklist as it stood when the assessment opened: items and pass mark.
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    pass_percent: Mapped[int] = mapped_column(default=100)
    module_version: Mapped[int] = mapped_column(default=1)
    signed_at: Mapped[datetime | None]
    competent: Mapped[bool | None]
    percent: Mapped[float | None]
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("signatures.id"))


class PracticalMark(Model):
    """The assessor's mark and note on one item of one assessment."""

    __tablename__ = "practical_marks"
    __table_args__ = (
        UniqueConstraint("assessment_id", "item_key"),
        CheckConstraint("mark IN ('met', 'not_met', 'na')", name="known_mark"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("practical_assessments.id"),
                                               index=True)
    item_key: Mapped[str] = mapped_column(String(100))
    mark: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    marked_at: Mapped[datetime]
