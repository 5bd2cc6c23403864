"""Attempts: a state machine over a frozen snapshot of the questions, with append-only answers.

in_progress -> submitted -> graded, or in_progress -> awaiting_grading -> graded (essays).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model

ATTEMPT_STATES = ("in_progress", "submitted", "awaiting_grading", "graded")


class Attempt(Model):
    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("quiz_id", "user_id", "number"),
        CheckConstraint("state IN ('in_progress', 'submitted', 'awaiting_grading', 'graded')",
                        name="known_state"),
        Index("ix_attempts_user_id_quiz_id", "user_id", "quiz_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    number: Mapped[int]
    state: Mapped[str] = mapped_column(String(20), default="in_progress")
    started_at: Mapped[datetime]
    # Set from the quiz's time limit when the attempt starts; the server's clock decides.
    deadline_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    finished_by: Mapped[str] = mapped_column(String(10), default="")  # learner or server
    # The questions as given: order, picked subset, choice order, answer keys.
    snapshot: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # The language of the version it was started in (the course's own, or a version's such
    # as "fr"): its snapshot holds the questions in that language, whatever the learner
    # reads afterwards.
    language: Mapped[str] = mapped_column(String(35), default="en", server_default="en")
    # The interface language the learner answered in (the page's when it started, then when
    # they submitted), which says how a typed number such as "1,500" reads: a French learner
    # writes French numbers in an English course too. NULL for attempts from before it.
    typed_in: Mapped[str | None] = mapped_column(String(16))
    score: Mapped[float | None]
    max_score: Mapped[float]
    percent: Mapped[float | None]
    passed: Mapped[bool | None]
    graded_at: Mapped[datetime | None]
    # When the learner may see the result: at once for automatic marking; for essays once an
    # assessor releases the grades with an electronic signature.
    released_at: Mapped[datetime | None]

    @property
    def open(self) -> bool:
        return self.state == "in_progress"


class AnswerStep(Model):
    """One save of one answer. Never updated: the latest step per question is the answer."""

    __tablename__ = "answer_steps"
    __table_args__ = (UniqueConstraint("attempt_id", "question_key", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    question_key: Mapped[str] = mapped_column(String(100))
    # The page's own counter: a save with a lower number than one stored is stale.
    seq: Mapped[int]
    answer: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_at: Mapped[datetime]
