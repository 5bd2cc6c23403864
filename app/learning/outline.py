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
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from typing import Any

from flask import current_app
from sqlalchemy import select
from werkzeug.routing import MapAdapter

from app.content.fields import direction_of
from app.content.models import (
    Checklist,
    Course,
    CourseTranslation,
    Module,
    ModuleTranslation,
    Quiz,
)
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
    # Its course's language first, then those of its versions ("01-intro.fr.md").
    languages: tuple[str, ...] = ()

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
    # `language` is the language this outline is in: the course's own (`own_language`), or
    # a version's, whose titles, objectives and landing page it then holds where the
    # version gives them. `languages`: the course's own first, then its versions'.
    own_language: str = "en"
    languages: tuple[str, ...] = ()
    # A version's outline whose landing page (title, summary, text) is translated too.
    translated_landing: bool = False

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
    # By (course id, language): "" for the course's own, else a version's tag.
    outlines: dict[tuple[int, str], CourseOutline] = field(default_factory=dict)
    # By (module id, language): (generation, lesson).
    lessons: dict[tuple[int, str], tuple[int, Lesson]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _cache() -> _Cache:
    cache = current_app.extensions.get("trainhub.outline")
    if cache is None:
        cache = current_app.extensions.setdefault("trainhub.outline", _Cache())
    return cache


def outline(course_id: int, generation: int, language: str | None = None) -> CourseOutline:
    """The course's outline at `generation`, in the course's own language or in the version
    `language`: from the cache, or read and kept."""
    base = outlines([(course_id, generation)])[course_id]
    if not language or language == base.own_language or language not in base.languages:
        return base
    cache = _cache()
    kept = cache.outlines.get((course_id, language))
    if kept is not None and kept.generation == generation:
        return kept
    built = _translated(base, language)
    with cache.lock:
        cache.outlines[(course_id, language)] = built
    return built


def outlines(wanted: list[tuple[int, int]]) -> dict[int, CourseOutline]:
    """Outlines of (course id, generation) pairs, in their courses' own languages. Those not
    cached at that generation are read together: four statements however many courses
    miss."""
    cache = _cache()
    found: dict[int, CourseOutline] = {}
    missing = []
    for course_id, generation in wanted:
        kept = cache.outlines.get((course_id, ""))
        if kept is not None and kept.generation == generation:
            found[course_id] = kept
        else:
            missing.append(course_id)
    if missing:
        built = _read_outlines(missing)
        with cache.lock:
            cache.outlines.update({(course_id, ""): built[course_id] for course_id in built})
        found.update(built)
    return found


def _translated(base: CourseOutline, language: str) -> CourseOutline:
    """The outline with a version's texts where it gives them: two statements."""
    landing = db.session.execute(
        select(CourseTranslation.title, CourseTranslation.summary,
               CourseTranslation.landing_html)
        .where(CourseTranslation.course_id == base.id,
               CourseTranslation.language == language)).first()
    texts = {row.module_id: row for row in db.session.execute(
        select(ModuleTranslation.module_id, ModuleTranslation.title,
               ModuleTranslation.objectives, ModuleTranslation.quiz_titles)
        .where(ModuleTranslation.course_id == base.id,
               ModuleTranslation.language == language))}

    def translated(module: ModuleInfo) -> ModuleInfo:
        row = texts.get(module.id)
        if row is None:
            return module
        return replace(
            module, title=row.title, facts=replace(module.facts, title=row.title),
            objectives=tuple(row.objectives) or module.objectives,
            quizzes=tuple(replace(q, title=row.quiz_titles.get(q.slug) or q.title)
                          for q in module.quizzes))

    changed = {"title": landing.title, "summary": landing.summary,
               "landing_html": landing.landing_html,
               "translated_landing": True} if landing is not None else {}
    return replace(base, language=language, direction=direction_of(language),
                   modules=tuple(translated(m) for m in base.modules), **changed)


def lesson(outline_: CourseOutline, module_id: int, language: str | None = None) -> Lesson:
    """A live module's lesson at the outline's generation, in the course's own language or
    in its version `language` when it has one (one statement when not cached)."""
    cache = _cache()
    key = (module_id, language or "")
    found = cache.lessons.get(key)
    if found is not None and found[0] == outline_.generation:
        return found[1]
    row = None
    if language:
        row = db.session.execute(
            select(ModuleTranslation.body_html, ModuleTranslation.facilitator_html)
            .where(ModuleTranslation.module_id == module_id,
                   ModuleTranslation.language == language)).first()
    if row is None:
        row = db.session.execute(select(Module.body_html, Module.facilitator_html)
                                 .where(Module.id == module_id)).one()
    body, notes = row
    parts = _QUIZ_SLOT.split(body)
    segments = tuple((parts[i], parts[i + 1] if i + 1 < len(parts) else None)
                     for i in range(0, len(parts), 2))
    built = Lesson(segments, notes, tuple(checklist_slugs(body)))
    with cache.lock:
        cache.lessons[key] = (outline_.generation, built)
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
                                   paths, course)
                      for m in modules.get(course.id, ())),
        path=paths.build("catalog.course", {"course_slug": course.slug}),
        own_language=course.language, languages=(course.language, *course.languages))
        for course in courses}


def site_paths() -> MapAdapter:
    """Builds the paths of the app's pages below the site's root, as `url_for` would under
    an empty script root, without a request: outlines are read by the CLI and by services
    too, and one worker could be reached under more than one script root."""
    return current_app.url_map.bind("localhost", script_name="/")


def _module_info(module: Module, quizzes: tuple[QuizInfo, ...], signed: bool,
                 paths: MapAdapter, course: Course) -> ModuleInfo:
    session = dict(module.session) if module.session else None
    slugs = {"course_slug": course.slug, "module_slug": module.slug}
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
        complete_path=paths.build("learning.complete", slugs),
        languages=(course.language, *module.languages))


def progress_by_slug(completed: Mapping[int, int | None], modules: tuple[ModuleInfo, ...]
                     ) -> dict[str, ProgressFacts]:
    """The learner's progress rows (module id: the version completed, None while not
    completed) as the rules' facts, for live modules only."""
    return {m.slug: ProgressFacts(True, completed[m.id]) for m in modules if m.id in completed}
