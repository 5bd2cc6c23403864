"""Calls for applications and everything that hangs off one: the applications, their
documents and personal data, the reviewers and their scores, the committee's overrides and
its signed decision.

A call belongs to a centre. A trainee call usually fills an intake's places; a centre call
("expression of interest" to join the network) belongs to the hub and has no intake. The
call's eligibility rules, form, rubric and quotas are JSON documents checked by the pure
rules next to this module (`fields.py`, `eligibility.py`, `quotas.py`); their shapes are
written there.

Uploaded documents are kept in the database (`ApplicationFile.content`, deferred), outside
the web root and on every node alike, so the nodes stay stateless.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column

from app.extensions import Model

CALL_KINDS = ("trainee", "centre")
# draft: being written; published: visible, open between opens_at and closes_at;
# decided: the committee signed its selection. A published call past closes_at takes no
# more submissions whatever its status says (rules.call_phase).
CALL_STATUSES = ("draft", "published", "decided")
APPLICATION_STATES = (
    "draft",  # being filled in
    "submitted",  # handed in before the deadline
    "withdrawn",  # taken back by the applicant
    "accepted",  # offered a place (by the decision, or later from the waitlist)
    "waitlisted",  # ranked on the waitlist
    "regretted",  # not selected
    "confirmed",  # accepted the offer: a learner of the intake
    "declined",  # turned the offer down
    "lapsed",  # did not answer the offer by respond_by
)
DECIDED_STATES = ("accepted", "waitlisted", "regretted", "confirmed", "declined", "lapsed")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class Call(Model):
    __tablename__ = "calls"
    __table_args__ = (
        UniqueConstraint("centre_id", "code"),
        CheckConstraint(_in("kind", CALL_KINDS), name="known_kind"),
        CheckConstraint(_in("status", CALL_STATUSES), name="known_status"),
        CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True)
    intake_id: Mapped[int | None] = mapped_column(ForeignKey("intakes.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="trainee")
    code: Mapped[str] = mapped_column(String(40))  # in URLs: /calls/<centre>/<code>
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown, as written
    description_html: Mapped[str] = mapped_column(Text, default="")  # rendered, sanitized
    # Stored in UTC; shown in `timezone` (the call's, "Asia/Seoul") and the reader's own.
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    places: Mapped[int]
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    eligibility: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # eligibility.py
    form: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # fields.py
    rubric: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # rules.py
    quotas: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # quotas.py
    # Personal data for a visa letter (name as in passport, passport number, ...).
    asks_travel_details: Mapped[bool] = mapped_column(default=False)
    blind_review: Mapped[bool] = mapped_column(default=False)
    reviews_per_application: Mapped[int] = mapped_column(default=2)
    # A score range wider than this share of the rubric's maximum is flagged.
    disagreement_share: Mapped[float] = mapped_column(default=0.25)
    confirm_days: Mapped[int] = mapped_column(default=14)  # to confirm an offered place
    retention_months: Mapped[int] = mapped_column(default=12)  # personal data, after closing
    status: Mapped[str] = mapped_column(String(10), default="draft")
    published_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    personal_deleted_at: Mapped[datetime | None]  # when retention removed the personal data
    created_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime | None]
    # Optimistic locking for the browser editor.
    version: Mapped[int] = mapped_column(default=1)


class Application(Model):
    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("call_id", "applicant_id"),
        CheckConstraint(_in("state", APPLICATION_STATES), name="known_state"),
        Index("ix_applications_call_state", "call_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"))
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    state: Mapped[str] = mapped_column(String(12), default="draft")
    # The form's answers by field key (files are ApplicationFile rows, not answers).
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # What eligibility and the quotas read, asked of every applicant of a trainee call.
    # For a centre call: the candidate centre's country and name.
    nationality: Mapped[str | None] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    residence: Mapped[str | None] = mapped_column(String(2))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    organisation_type: Mapped[str | None] = mapped_column(String(20))
    gender: Mapped[str | None] = mapped_column(String(20))
    experience_years: Mapped[int | None]
    # eligibility.check, kept when the answers change: the board reads it without the rules.
    eligible: Mapped[bool] = mapped_column(default=False)
    ineligible_reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]
    saved_at: Mapped[datetime]  # the last autosave
    submitted_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]  # when it reached a decided state
    respond_by: Mapped[datetime | None]  # an offered place: confirm by then
    answered_at: Mapped[datetime | None]  # confirmed, declined or lapsed
    waitlist_rank: Mapped[int | None]  # 1 = next in line
    # The autosave's optimistic lock: a save from a stale page never overwrites a newer one.
    version: Mapped[int] = mapped_column(default=1)


class ApplicationPersonal(Model):
    """Personal data for the visa letter, kept apart so that retention deletes one row and
    leaves nothing behind. Seen by the applicant and the call's programme officers only."""

    __tablename__ = "application_personal"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True)
    name_in_passport: Mapped[str] = mapped_column(String(200), default="")
    passport_number: Mapped[str] = mapped_column(String(40), default="")
    passport_expires_on: Mapped[date | None]
    date_of_birth: Mapped[date | None]
    nationality: Mapped[str | None] = mapped_column(String(2))
    saved_at: Mapped[datetime]


class ApplicationFile(Model):
    """An uploaded document: a checked PDF for one file field of the form (the latest
    upload for a field replaces the one before)."""

    __tablename__ = "application_files"
    __table_args__ = (UniqueConstraint("application_id", "field_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    field_key: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(200))  # as uploaded, cleaned
    size: Mapped[int]
    pages: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_at: Mapped[datetime]


class CallReviewer(Model):
    """A person the call's programme officers asked to review its applications."""

    __tablename__ = "call_reviewers"

    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    added_at: Mapped[datetime]
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ReviewAssignment(Model):
    """One reviewer asked to score one application. A declared conflict keeps the row (who,
    when, why) and the application goes to another reviewer."""

    __tablename__ = "review_assignments"
    __table_args__ = (
        UniqueConstraint("application_id", "reviewer_id"),
        Index("ix_review_assignments_reviewer", "reviewer_id", "application_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime]
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    conflict_at: Mapped[datetime | None]
    conflict_reason: Mapped[str] = mapped_column(Text, default="")
    scored_at: Mapped[datetime | None]  # the first score: the assignment is done


class ReviewScore(Model):
    """A reviewer's score of an application against the call's rubric. Append-only, like
    grades: a new score supersedes the reviewer's earlier one, which stays."""

    __tablename__ = "review_scores"
    __table_args__ = (Index("ix_review_scores_application", "application_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    points: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)  # by criterion key
    total: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    scored_at: Mapped[datetime]
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("review_scores.id"))


class SelectionOverride(Model):
    """The committee's departure from the proposal for one application, with its reason.
    The latest override of an application counts; earlier ones stay. An override to
    "proposal" takes the earlier ones back: the proposal decides again."""

    __tablename__ = "selection_overrides"
    __table_args__ = (
        CheckConstraint("outcome IN ('accepted', 'waitlisted', 'regretted', 'proposal')",
                        name="known_outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text)
    made_at: Mapped[datetime]
    made_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class CallDecision(Model):
    """The signed selection of a call: the full list as it was signed."""

    __tablename__ = "call_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), unique=True)
    # [{"application_id", "outcome", "rank", "mean", "waitlist_rank", "overridden"}]
    outcomes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    signature_id: Mapped[int] = mapped_column(ForeignKey("signatures.id"))
    decided_at: Mapped[datetime]
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
