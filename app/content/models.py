"""Courses as imported from their files: HTML rendered once, quizzes and checklists as data.

Nothing here is ever deleted by an import. Modules, quizzes and checklists that disappear from
the files are archived, so that learners' records that point at them stay whole.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model


class Course(Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(35), default="en")
    direction: Mapped[str] = mapped_column(String(3), default="ltr")
    level: Mapped[str | None] = mapped_column(String(20))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    enrolment: Mapped[str] = mapped_column(String(10), default="open")
    prerequisites: Mapped[list[str]] = mapped_column(JSON, default=list)
    competencies: Mapped[list[str]] = mapped_column(JSON, default=list)
    certificate: Mapped[bool] = mapped_column(default=True)
    hours: Mapped[float | None]
    landing_html: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    source_commit: Mapped[str | None] = mapped_column(String(64))
    imported_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # New (and random) at every import that changes the course: pages cache what an import
    # wrote (learning.outline), and a new generation tells every worker its copy is stale.
    generation: Mapped[int] = mapped_column(default=1, server_default="1")
    # The languages of its versions (`course.fr.md`, `01-intro.fr.md`), its own left out.
    languages: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # The centre that owns it (the hub for the shipped courses); other centres may offer it
    # when its owner shares it with the network.
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True)
    network_shared: Mapped[bool] = mapped_column(default=False, server_default=false())

    modules: Mapped[list[Module]] = relationship(
        back_populates="course", order_by="Module.position, Module.slug"
    )


class Module(Model):
    __tablename__ = "modules"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    slug: Mapped[str] = mapped_column(String(100))
    position: Mapped[int]
    filename: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    modality: Mapped[str] = mapped_column(String(20), default="virtual")
    duration_minutes: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)
    objectives: Mapped[list[str]] = mapped_column(JSON, default=list)
    competencies: Mapped[list[str]] = mapped_column(JSON, default=list)
    prerequisites: Mapped[list[str]] = mapped_column(JSON, default=list)
    optional: Mapped[bool] = mapped_column(default=False)
    session: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The languages it has a version in (`01-intro.fr.md`), its course's own left out.
    languages: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # Deferred: loading a module (completion, grading, sessions) never needs the lesson's
    # stored HTML; pages read it through learning.outline.lesson, once per import.
    body_html: Mapped[str] = mapped_column(Text, default="", deferred=True)
    # Notes for instructors and assessors only; never part of what a learner receives.
    facilitator_html: Mapped[str] = mapped_column(Text, default="", deferred=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    archived_at: Mapped[datetime | None]

    course: Mapped[Course] = relationship(back_populates="modules")


class CourseTranslation(Model):
    """A course's landing page in another language (`course.fr.md`), rendered at import."""

    __tablename__ = "course_translations"
    __table_args__ = (UniqueConstraint("course_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    language: Mapped[str] = mapped_column(String(35))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    landing_html: Mapped[str] = mapped_column(Text, default="")


class ModuleTranslation(Model):
    """A module's texts in another language (`01-intro.fr.md`), rendered at import: its
    title, objectives, lesson, and the texts of its quizzes and checklists by their ids and
    question (item) keys. Only texts: the module, its quizzes, questions and checklists stay
    one set of rows, so progress, attempts and sign-offs belong to the module whatever
    version was read. Replaced at each import, and deleted with its file: nothing points
    at it (an attempt keeps the texts it was given in its snapshot)."""

    __tablename__ = "module_translations"
    __table_args__ = (UniqueConstraint("module_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    language: Mapped[str] = mapped_column(String(35))
    filename: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    objectives: Mapped[list[str]] = mapped_column(JSON, default=list)
    quiz_titles: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    body_html: Mapped[str] = mapped_column(Text, default="", deferred=True)
    facilitator_html: Mapped[str] = mapped_column(Text, default="", deferred=True)
    # {quiz id: {"title", "questions": {key: texts}}}: content.versions.quiz_texts
    quizzes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, deferred=True)
    # {checklist id: {"title", "items": {key: {"section", "text_html"}}}}
    checklists: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, deferred=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]


class ModuleVersion(Model):
    """Each version of a module as first imported. A raised version means earlier completions
    need retraining."""

    __tablename__ = "module_versions"
    __table_args__ = (UniqueConstraint("module_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime]


class ModuleBlock:
    """What quizzes and checklists share: a block of a module with an id unique in its course,
    kept (and archived) across imports so that attempts and sign-offs can point at it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    slug: Mapped[str] = mapped_column(String(100))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(300), default="")
    archived_at: Mapped[datetime | None]


class Quiz(ModuleBlock, Model):
    __tablename__ = "quizzes"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    pass_mark: Mapped[int | None]  # percent; set means the quiz is an assessment
    attempts: Mapped[int] = mapped_column(default=0)  # 0 = unlimited
    shuffle: Mapped[str] = mapped_column(String(10), default="none")
    pick: Mapped[int | None]
    # `pick: N per objective`: N questions from each group (a question's first objective).
    pick_per_objective: Mapped[bool] = mapped_column(default=False, server_default=false())
    time_limit_minutes: Mapped[int | None]
    show_answers: Mapped[str] = mapped_column(String(20), default="after_pass")

    questions: Mapped[list[Question]] = relationship(
        back_populates="quiz", order_by="Question.position", cascade="all, delete-orphan"
    )

    @property
    def is_assessment(self) -> bool:
        return self.pass_mark is not None


class Question(Model):
    """A question as authored. `answer_data` holds the answer key: never render it to learners.

    `objectives` (course-wide `<module>/<objective>` names) and `asks` say what the question
    assesses; they are for authors and the draw, and learners' pages do not show them."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("quiz_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    prompt_html: Mapped[str] = mapped_column(Text)
    points: Mapped[float] = mapped_column(default=1.0)
    answer_data: Mapped[dict[str, Any]] = mapped_column(JSON)
    objectives: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    asks: Mapped[str] = mapped_column(String(10), default="recall", server_default="recall")

    quiz: Mapped[Quiz] = relationship(back_populates="questions")


class Checklist(ModuleBlock, Model):
    __tablename__ = "checklists"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    pass_percent: Mapped[int] = mapped_column(default=100)
    attempts: Mapped[int] = mapped_column(default=0)

    items: Mapped[list[ChecklistItem]] = relationship(
        back_populates="checklist", order_by="ChecklistItem.position",
        cascade="all, delete-orphan",
    )


class ChecklistItem(Model):
    __tablename__ = "checklist_items"
    __table_args__ = (UniqueConstraint("checklist_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_id: Mapped[int] = mapped_column(ForeignKey("checklists.id"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int]
    section: Mapped[str] = mapped_column(String(300), default="")
    text_html: Mapped[str] = mapped_column(Text)
    critical: Mapped[bool] = mapped_column(default=False)

    checklist: Mapped[Checklist] = relationship(back_populates="items")


class CourseMedia(Model):
    __tablename__ = "course_media"
    __table_args__ = (UniqueConstraint("course_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)
