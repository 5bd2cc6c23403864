"""Grades given by assessors. Append-only: a regrade adds a row, the latest one counts, and
every earlier value stays. And the day each grader was reminded of essays waiting."""

from __future__ import annotations

from datetime import date, datetime
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


class EssayReminder(Model):
    """That a grader was reminded on `day` (UTC) of the essays waiting too long: its key is
    the claim of that day's reminder, which only one worker can insert
    (`notices.claim_essay_reminder`)."""

    __tablename__ = "essay_reminders"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    reminded_at: Mapped[datetime]
