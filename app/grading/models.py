"""Grades given by assessors. Append-only: a regrade adds a row, the latest one counts, and
every earlier value stays."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model


class QuestionGrade(Model):
    __tablename__ = "question_grades"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    question_key: Mapped[str] = mapped_column(String(100))
    points: Mapped[float]
    # One entry per rubric criterion: {"points": 3, "comment": "..."}.
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(Text, default="")
    graded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    graded_at: Mapped[datetime]
