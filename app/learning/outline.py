"""The course as every learner sees it, kept in each worker until the next import.

A course changes only when an import (from the command line or a publish in the browser)
writes it, and every such import gives it a new `courses.generation`. Pages read it with
the viewer's own rows in one statement, and take the course's structure (its live modules,
their completion requirements, the quizzes' rules), the paths of its pages and each
lesson's stored HTML from this cache; only a new generation reads them again. The cache
belongs to the app, so each worker (and each test's app) has its own, and it holds plain
frozen values, never ORM objects that a session could expire.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from flask import current_app
from sqlalchemy import select
from werkzeug.routing import MapAdapter

from app.content.models import Checklist, Course, Module, Quiz
from app.content.render import checklist_slugs
from app.extensions import db
from app.learning.rules import ModuleFacts, ProgressFacts, completion_requirements

_QUIZ_SLOT = re.compile(r'<div class="quiz-slot" data-quiz="([^"]+)"></div>\n?')


@dataclass(frozen=True)
class QuizInfo:
    """A quiz's rules as the lesson page shows them (never its questions or answer keys)."""

    id: int
    slug: str
    title: str
    module_id: int
    pass_mark: int | None
    attempts: int
    time_limit_minutes: int | None

    @property
    def is_assessment(self) -> bool:
        return self.pass_mark is not None


@dataclass(frozen=True)
class ModuleInfo:
    """A live module without its lesson: what outlines, locks and completion need."""

    id: int
    course_id: int
    slug: str
    title: str
    position: int
    modality: str
    duration_minutes: int | None
    version: int
    objectives: tuple[str, ...]
    prerequisites: tuple[str, ...]
    optional: bool
    session: dict[str, Any] | None
    created_at: datetime
    facts: ModuleFacts
    # Its page and its "mark as complete" action, below the site's root: templates show
    # them with `|site_url`, which puts the request's script root in front.
    path: str
    complete_path: str
    quizzes: tuple[QuizInfo, ...] = ()

    @property
    def requirements(self) -> tuple[str, ...]:
        return self.facts.requirements


@dataclass(frozen=True)
class CourseOutline:
    """A course's own fields and its live modules in order, as of one generation."""

    id: int
    slug: str
    title: str
    summary: str
    language: str
    direction: str
    level: str | None
    tags: tuple[str, ...]
    enrolment: str
    prerequisites: tuple[str, ...]
    competencies: tuple[str, ...]
    certificate: bool
    hours: float | None
    landing_html: str
    generation: int
    modules: tuple[ModuleInfo, ...]
    path: str  # the course page, below the site's root (see ModuleInfo.path)

    @cached_property
    def objectives(self) -> list[str]:
        """Every module's objectives once, in course order: what the course page promises."""
        return list(dict.fromkeys(o for m in self.modules for o in m.objectives))

    @cached_property
    def facts(self) -> list[ModuleFacts]:
        return [m.facts for m in self.modules]


@dataclass(frozen=True)
class Lesson:
    """A module's stored HTML, cut at its quiz slots: (html, quiz slug shown after it)."""

    segments: tuple[tuple[str, str | None], ...]
    facilitator_html: str
    checklists: tuple[str, ...]


@dataclass
class _Cache:
    outlines: dict[int, CourseOutline] = field(default_factory=dict)
    lessons: dict[int, tuple[int, Lesson]] = field(default_factory=dict)  # id: (generation, _)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _cache() -> _Cache:
    cache = current_app.extensions.get("trainhub.outline")
    if cache is None:
        cache = current_app.extensions.setdefault("trainhub.outline", _Cache())
    return cache


def outline(course_id: int, generation: int) -> CourseOutline:
    """The course's outline at `generation`: from the cache, or read and kept."""
    return outlines([(course_id, generation)])[course_id]


def outlines(wanted: list[tuple[int, int]]) -> dict[int, CourseOutline]:
    """Outlines of (course id, generation) pairs. Those not cached at that generation are
    read together: four statements however many courses miss."""
    cache = _cache()
    found: dict[int, CourseOutline] = {}
    missing = []
    for course_id, generation in wanted:
        kept = cache.outlines.get(course_id)
        if kept is not None and kept.generation == generation:
            found[course_id] = kept
        else:
            missing.append(course_id)
    if missing:
        built = _read_outlines(missing)
        with cache.lock:
            cache.outlines.update(built)
        found.update(built)
    return found


def lesson(outline_: CourseOutline, module_id: int) -> Lesson:
    """A live module's lesson at the outline's generation (one statement when not cached)."""
    cache = _cache()
    found = cache.lessons.get(module_id)
    if found is not None and found[0] == outline_.generation:
        return found[1]
    body, notes = db.session.execute(
        select(Module.body_html, Module.facilitator_html).where(Module.id == module_id)).one()
    parts = _QUIZ_SLOT.split(body)
    segments = tuple((parts[i], parts[i + 1] if i + 1 < len(parts) else None)
                     for i in range(0, len(parts), 2))
    built = Lesson(segments, notes, tuple(checklist_slugs(body)))
    with cache.lock:
        cache.lessons[module_id] = (outline_.generation, built)
    return built


def _read_outlines(course_ids: list[int]) -> dict[int, CourseOutline]:
    courses = db.session.scalars(select(Course).where(Course.id.in_(course_ids))).all()
    modules: dict[int, list[Module]] = {}
    for module in db.session.scalars(
            select(Module).where(Module.course_id.in_(course_ids), Module.archived_at.is_(None))
            .order_by(Module.position, Module.slug)):
        modules.setdefault(module.course_id, []).append(module)
    quizzes: dict[int, list[QuizInfo]] = {}
    for quiz in db.session.scalars(select(Quiz).where(
            Quiz.course_id.in_(course_ids), Quiz.archived_at.is_(None)).order_by(Quiz.position)):
        quizzes.setdefault(quiz.module_id, []).append(QuizInfo(
            quiz.id, quiz.slug, quiz.title, quiz.module_id, quiz.pass_mark, quiz.attempts,
            quiz.time_limit_minutes))
    signed = set(db.session.scalars(select(Checklist.module_id).where(
        Checklist.course_id.in_(course_ids), Checklist.archived_at.is_(None))))
    paths = site_paths()
    return {course.id: CourseOutline(
        id=course.id, slug=course.slug, title=course.title, summary=course.summary,
        language=course.language, direction=course.direction, level=course.level,
        tags=tuple(course.tags), enrolment=course.enrolment,
        prerequisites=tuple(course.prerequisites), competencies=tuple(course.competencies),
        certificate=course.certificate, hours=course.hours, landing_html=course.landing_html,
        generation=course.generation,
        modules=tuple(_module_info(m, tuple(quizzes.get(m.id, ())), m.id in signed,
                                   paths, course.slug)
                      for m in modules.get(course.id, ())),
        path=paths.build("catalog.course", {"course_slug": course.slug}))
        for course in courses}


def site_paths() -> MapAdapter:
    """Builds the paths of the app's pages below the site's root, as `url_for` would under
    an empty script root, without a request: outlines are read by the CLI and by services
    too, and one worker could be reached under more than one script root."""
    return current_app.url_map.bind("localhost", script_name="/")


def _module_info(module: Module, quizzes: tuple[QuizInfo, ...], signed: bool,
                 paths: MapAdapter, course_slug: str) -> ModuleInfo:
    session = dict(module.session) if module.session else None
    slugs = {"course_slug": course_slug, "module_slug": module.slug}
    facts = ModuleFacts(
        slug=module.slug, title=module.title, version=module.version,
        optional=module.optional, prerequisites=tuple(module.prerequisites),
        requirements=completion_requirements(
            has_checklist=signed, has_assessment=any(q.is_assessment for q in quizzes),
            attendance_required=bool(session and session.get("attendance") == "required")))
    return ModuleInfo(
        id=module.id, course_id=module.course_id, slug=module.slug, title=module.title,
        position=module.position, modality=module.modality,
        duration_minutes=module.duration_minutes, version=module.version,
        objectives=tuple(module.objectives), prerequisites=tuple(module.prerequisites),
        optional=module.optional, session=session, created_at=module.created_at,
        facts=facts, quizzes=quizzes, path=paths.build("learning.module", slugs),
        complete_path=paths.build("learning.complete", slugs))


def progress_by_slug(completed: Mapping[int, int | None], modules: tuple[ModuleInfo, ...]
                     ) -> dict[str, ProgressFacts]:
    """The learner's progress rows (module id: the version completed, None while not
    completed) as the rules' facts, for live modules only."""
    return {m.slug: ProgressFacts(True, completed[m.id]) for m in modules if m.id in completed}
