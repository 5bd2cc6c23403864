"""Store validated course specs: add, update in place, archive; never delete.

The caller validates first and commits after; `import_courses` only flushes, so a failure
anywhere leaves the database as it was.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.centres.models import Centre
from app.centres.services import ensure_hub
from app.content.loader import course_folders, fingerprint, import_hash, load_courses
from app.content.models import (
    Checklist,
    ChecklistItem,
    Course,
    CourseMedia,
    CourseTranslation,
    Module,
    ModuleTranslation,
    ModuleVersion,
    Question,
    Quiz,
)
from app.content.search_index import index_course
from app.content.specs import (
    ChecklistSpec,
    ContentError,
    CourseSpec,
    ModuleSpec,
    ModuleVersionSpec,
    Problem,
    QuizSpec,
)
from app.content.versions import checklist_texts, quiz_texts
from app.core.registry import Hooks
from app.extensions import db
from app.records.services import Actor, record_event

B = TypeVar("B", Quiz, Checklist)

# Called as hook(module, old_version, now) when an import raises a module's version; the
# learning feature adds the hook that flags retraining, so content need not know it.
VersionRaisedHook = Callable[[Module, int, datetime], None]
VERSION_RAISED_HOOKS: Hooks[VersionRaisedHook] = Hooks("version raised hooks")


@dataclass
class ImportSummary:
    slug: str
    status: str  # "added", "updated" or "unchanged"
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    versions_raised: list[str] = field(default_factory=list)
    # What validation warned about in the course's files (read only when they changed).
    warnings: list[Problem] = field(default_factory=list)

    def text(self) -> str:
        """The line in the reader's language, for the command line and the publish message;
        `line()` is the same in English, for the audit trail."""
        if self.status == "unchanged":
            return _("%(course)s: unchanged", course=self.slug)
        # Translators: what became of a course in an import ("added" or "updated").
        status = _("added") if self.status == "added" else _("updated")
        text = _("%(course)s: %(status)s; modules %(added)s added, %(changed)s changed, "
                 "%(archived)s archived, %(unchanged)s unchanged", course=self.slug,
                 status=status, added=len(self.added), changed=len(self.changed),
                 archived=len(self.archived), unchanged=len(self.unchanged))
        if self.versions_raised:
            text += _("; version raised: %(modules)s", modules=", ".join(self.versions_raised))
        return text

    def line(self) -> str:
        if self.status == "unchanged":
            return f"{self.slug}: unchanged"
        parts = [f"{len(self.added)} added", f"{len(self.changed)} changed",
                 f"{len(self.archived)} archived", f"{len(self.unchanged)} unchanged"]
        line = f"{self.slug}: {self.status}; modules {', '.join(parts)}"
        if self.versions_raised:
            line += f"; version raised: {', '.join(self.versions_raised)}"
        return line


def stored_course_hashes() -> dict[str, str]:
    return {slug: digest for slug, digest in db.session.execute(
        select(Course.slug, Course.content_hash))}


# Called for each folder `import_folders` brought in (changed or not), after the import:
# (folder, its fingerprint, now, actor, source commit). Authoring adds the hook that keeps
# each course's files as revisions, reading them only when the fingerprint is new to it.
FolderImportedHook = Callable[[Path, str, datetime, Actor | None, str | None], object]
FOLDER_IMPORTED_HOOKS: Hooks[FolderImportedHook] = Hooks("folder imported hooks")


def import_folders(paths: list[Path], *, now: datetime, source_commit: str | None = None,
                   actor: Actor | None = None) -> list[ImportSummary]:
    """What `flask courses import` does: validate the folders, then import what changed.

    Raises ContentError with every problem of every file; nothing is flushed then.
    """
    folders, problems = course_folders(paths)
    if problems:
        raise ContentError(problems.errors())
    stored = stored_course_hashes()
    # Courses whose files are byte for byte what was imported, under the same renderer, need
    # no parsing at all.
    prints = {folder: fingerprint(folder) for folder in folders}
    changed = [folder for folder in folders
               if stored.get(folder.name) != import_hash(prints[folder])]
    courses, problems = load_courses(changed, stored)
    if problems:
        raise ContentError(problems.errors())
    unchanged = [ImportSummary(folder.name, "unchanged") for folder in folders
                 if folder not in changed]
    imported = import_courses(courses, now=now, source_commit=source_commit, actor=actor)
    for spec, summary in zip(courses, imported, strict=True):
        summary.warnings = [warning for warning in problems.warnings()
                            if Path(warning.path).is_relative_to(spec.path)]
    summaries = unchanged + imported
    for folder in folders:
        for hook in FOLDER_IMPORTED_HOOKS.all():
            hook(folder, prints[folder], now, actor, source_commit)
    return summaries


def import_courses(specs: list[CourseSpec], *, now: datetime, source_commit: str | None = None,
                   actor: Actor | None = None) -> list[ImportSummary]:
    """Bring the database in line with `specs`. Raises ContentError for rules that need the
    stored state (a version may not go down) before anything is flushed."""
    existing = _stored_courses(specs)
    problems = check_against_stored(specs, existing)
    if problems:
        raise ContentError(problems)
    summaries = []
    for spec in specs:
        course = existing.get(spec.slug)
        if course is not None and course.content_hash == spec.content_hash:
            summaries.append(ImportSummary(spec.slug, "unchanged"))
            continue
        summary = _import_course(spec, course, now, source_commit, actor)
        summaries.append(summary)
    db.session.flush()
    return summaries


def _stored_courses(specs: list[CourseSpec]) -> dict[str, Course]:
    return {course.slug: course for course in db.session.scalars(
        select(Course).where(Course.slug.in_([s.slug for s in specs]))
        .options(selectinload(Course.modules)))}


def check_against_stored(specs: list[CourseSpec],
                         existing: dict[str, Course] | None = None) -> list[Problem]:
    """Rules that need what was imported before: a module's version may not go down."""
    if existing is None:
        existing = _stored_courses(specs)
    problems = []
    centres = _centre_ids(specs)
    for spec in specs:
        if spec.centre and spec.centre not in centres:
            problems.append(Problem(
                f"{spec.path}/course.md", spec.line_of.get("centre", 1),
                f'centre "{spec.centre}" is not a centre of this TrainHub: use the code '
                "shown on its centre page", code="unknown-centre"))
        course = existing.get(spec.slug)
        if course is None:
            continue
        stored = {module.slug: module for module in course.modules}
        for module in spec.modules:
            old = _match(module, stored)
            if old is not None and module.version < old.version:
                problems.append(Problem(
                    f"{spec.path}/{module.filename}", module.line_of.get("version", 1),
                    f"version {module.version} is lower than the imported version "
                    f"{old.version}: versions only go up", code="version-went-down"))
    return problems


def _centre_ids(specs: list[CourseSpec]) -> dict[str, int]:
    """The ids of the centres the specs name by code: one statement, none when none does."""
    codes = {spec.centre for spec in specs if spec.centre}
    if not codes:
        return {}
    return {row.code: row.id for row in db.session.execute(
        select(Centre.code, Centre.id).where(Centre.code.in_(sorted(codes))))}


def _match(spec: ModuleSpec, stored: dict[str, Module]) -> Module | None:
    """The stored module this file continues: same id, or an earlier id in its aliases."""
    if spec.slug in stored:
        return stored[spec.slug]
    for alias in spec.aliases:
        if alias in stored:
            return stored[alias]
    return None


def _import_course(spec: CourseSpec, course: Course | None, now: datetime,
                   source_commit: str | None, actor: Actor | None) -> ImportSummary:
    summary = ImportSummary(spec.slug, "updated" if course else "added")
    owner = _centre_ids([spec]).get(spec.centre or "")
    if course is None:
        course = Course(slug=spec.slug, imported_at=now, content_hash="",
                        centre_id=owner or ensure_hub(now).id)
        db.session.add(course)
        stored: dict[str, Module] = {}
    else:
        stored = {module.slug: module for module in course.modules}
    for attribute in ("title", "summary", "language", "direction", "level", "tags",
                      "enrolment", "prerequisites", "competencies", "certificate", "hours",
                      "landing_html", "content_hash"):
        setattr(course, attribute, getattr(spec, attribute))
    if owner is not None:
        course.centre_id = owner  # `centre:` names the owner; without it, the owner stays
    course.source_commit = source_commit
    course.updated_at = now
    course.generation = _new_generation(course.generation)
    course.languages = spec.version_languages
    db.session.flush()
    _store_media(course, spec)
    _store_course_versions(course, spec)
    translations = {(t.module_id, t.language): t for t in db.session.scalars(
        select(ModuleTranslation).where(ModuleTranslation.course_id == course.id))}

    quizzes = {q.slug: q for q in db.session.scalars(
        select(Quiz).where(Quiz.course_id == course.id).options(selectinload(Quiz.questions)))}
    checklists = {c.slug: c for c in db.session.scalars(
        select(Checklist).where(Checklist.course_id == course.id)
        .options(selectinload(Checklist.items)))}
    kept_modules: set[int] = set()
    for module_spec in spec.modules:
        module = _match(module_spec, stored)
        if module is None:
            module = Module(course_id=course.id, created_at=now, version=module_spec.version)
            db.session.add(module)
            summary.added.append(module_spec.slug)
            _store_module(module, module_spec, now)
            db.session.flush()
            db.session.add(ModuleVersion(module_id=module.id, version=module.version,
                                         content_hash=module.content_hash, recorded_at=now))
        elif (module.content_hash == module_spec.content_hash
              and module.filename == module_spec.filename and module.archived_at is None):
            summary.unchanged.append(module_spec.slug)
            kept_modules.add(module.id)
            _store_versions(course, module, module_spec, translations, now)
            continue
        else:
            summary.changed.append(module_spec.slug)
            if module_spec.version > module.version:
                summary.versions_raised.append(
                    f"{module_spec.slug} {module.version}->{module_spec.version}")
                record_event("module.version_raised", actor=actor, now=now,
                             subject_type="module", subject_id=module.id, course_id=course.id,
                             details={"module": module_spec.slug, "version": {
                                 "old": module.version, "new": module_spec.version}})
                db.session.add(ModuleVersion(module_id=module.id, version=module_spec.version,
                                             content_hash=module_spec.content_hash,
                                             recorded_at=now))
            old_version = module.version
            _store_module(module, module_spec, now)
            db.session.flush()
            if module.version > old_version:
                for hook in VERSION_RAISED_HOOKS.all():
                    hook(module, old_version, now)
        kept_modules.add(module.id)
        _store_blocks(course, module, module_spec, quizzes, checklists, now)
        _store_versions(course, module, module_spec, translations, now)
    for (module_id, _language), translation in translations.items():
        if module_id in kept_modules:  # an archived module's versions stay with it
            db.session.delete(translation)  # its file is gone
    for module in stored.values():
        if module.id not in kept_modules and module.archived_at is None:
            module.archived_at = now
            summary.archived.append(module.slug)
            record_event("module.archived", actor=actor, now=now, subject_type="module",
                         subject_id=module.id, course_id=course.id,
                         details={"module": module.slug, "file": module.filename})
            archived_blocks: list[Quiz | Checklist] = [*quizzes.values(), *checklists.values()]
            for block in archived_blocks:
                if block.module_id == module.id and block.archived_at is None:
                    block.archived_at = now
    index_course(course)
    record_event("course.imported", actor=actor, now=now, subject_type="course",
                 subject_id=course.id, course_id=course.id, details={
                     "course": spec.slug, "status": summary.status,
                     "content_hash": spec.content_hash, "source_commit": source_commit,
                     "modules_added": summary.added, "modules_changed": summary.changed,
                     "modules_archived": summary.archived})
    return summary


def _new_generation(old: int | None) -> int:
    """A generation the course does not have: random rather than counted, so that not even a
    restored or rebuilt database brings back a number that a worker cached other content
    under (course ids and a counter would both start again from 1)."""
    while True:
        value = secrets.randbelow(2**31 - 2) + 1
        if value != old:
            return value


def _store_module(module: Module, spec: ModuleSpec, now: datetime) -> None:
    module.slug = spec.slug
    module.position = spec.position
    module.filename = spec.filename
    module.title = spec.title
    module.modality = spec.modality
    module.duration_minutes = spec.duration_minutes
    module.version = spec.version
    module.objectives = spec.objectives
    module.competencies = spec.competencies
    module.prerequisites = spec.prerequisites
    module.optional = spec.optional
    module.session = (None if spec.session is None else {
        "attendance": spec.session.attendance, "capacity": spec.session.capacity,
        "materials": spec.session.materials})
    module.aliases = spec.aliases
    module.body_html = spec.body_html
    module.facilitator_html = spec.facilitator_html
    module.content_hash = spec.content_hash
    module.updated_at = now
    module.archived_at = None


def _store_blocks(course: Course, module: Module, spec: ModuleSpec, quizzes: dict[str, Quiz],
                  checklists: dict[str, Checklist], now: datetime) -> None:
    """Quizzes and checklists keep their row (by id) across imports; their questions and
    items are replaced, since attempts keep their own snapshot of what they were given."""
    for quiz_spec in spec.quizzes:
        _store_quiz(_block_row(quizzes, Quiz, course, quiz_spec.slug), module, quiz_spec)
    for checklist_spec in spec.checklists:
        _store_checklist(_block_row(checklists, Checklist, course, checklist_spec.slug),
                         module, checklist_spec)
    present = {q.slug for q in spec.quizzes} | {c.slug for c in spec.checklists}
    blocks: list[Quiz | Checklist] = [*quizzes.values(), *checklists.values()]
    for block in blocks:
        if block.module_id == module.id and block.slug not in present \
                and block.archived_at is None:
            block.archived_at = now


def _block_row(rows: dict[str, B], model: type[B], course: Course, slug: str) -> B:
    """The stored quiz or checklist with this id in the course, or a new one."""
    row = rows.get(slug)
    if row is None:
        row = model(course_id=course.id, slug=slug)
        db.session.add(row)
        rows[slug] = row
    return row


def _place_block(row: Quiz | Checklist, module: Module, spec: QuizSpec | ChecklistSpec) -> None:
    row.module_id = module.id
    row.position = spec.position
    row.title = spec.title
    row.archived_at = None


def _store_quiz(quiz: Quiz, module: Module, spec: QuizSpec) -> None:
    _place_block(quiz, module, spec)
    quiz.pass_mark = spec.pass_mark
    quiz.attempts = spec.attempts
    quiz.shuffle = spec.shuffle
    quiz.pick = spec.pick
    quiz.pick_per_objective = spec.pick_per_objective
    quiz.time_limit_minutes = spec.time_limit_minutes
    quiz.show_answers = spec.show_answers
    quiz.questions.clear()
    db.session.flush()  # old questions go before new ones take their keys
    quiz.questions.extend(
        Question(key=q.key, position=q.position, kind=q.kind, prompt_html=q.prompt_html,
                 points=q.points, answer_data=q.answer_data(), objectives=q.objectives,
                 asks=q.asks)
        for q in spec.questions)


def _store_checklist(checklist: Checklist, module: Module, spec: ChecklistSpec) -> None:
    _place_block(checklist, module, spec)
    checklist.pass_percent = spec.pass_percent
    checklist.attempts = spec.attempts
    checklist.items.clear()
    db.session.flush()
    checklist.items.extend(
        ChecklistItem(key=i.key, position=i.position, section=i.section, text_html=i.text_html,
                      critical=i.critical)
        for i in spec.items)


def _store_versions(course: Course, module: Module, spec: ModuleSpec,
                    stored: dict[tuple[int, str], ModuleTranslation], now: datetime) -> None:
    """The module's language versions as their files say: a changed one rewritten, a new one
    added. Each one found is taken out of `stored`; what is left there has no file now."""
    if module.languages != sorted(spec.versions):
        module.languages = sorted(spec.versions)
    for language, version in spec.versions.items():
        row = stored.pop((module.id, language), None)
        if row is not None and row.content_hash == version.content_hash \
                and row.filename == version.filename:
            continue
        if row is None:
            row = ModuleTranslation(module_id=module.id, course_id=course.id, language=language)
            db.session.add(row)
        _store_version(row, version, now)


def _store_version(row: ModuleTranslation, version: ModuleVersionSpec, now: datetime) -> None:
    row.filename = version.filename
    row.title = version.title
    row.objectives = [objective.text for objective in version.objective_specs]
    row.quiz_titles = {quiz.slug: quiz.title for quiz in version.quizzes}
    row.body_html = version.body_html
    row.facilitator_html = version.facilitator_html
    row.quizzes = quiz_texts(version.quizzes)
    row.checklists = checklist_texts(version.checklists)
    row.content_hash = version.content_hash
    row.updated_at = now


def _store_course_versions(course: Course, spec: CourseSpec) -> None:
    stored = {t.language: t for t in db.session.scalars(
        select(CourseTranslation).where(CourseTranslation.course_id == course.id))}
    for language, version in spec.versions.items():
        row = stored.pop(language, None)
        if row is None:
            row = CourseTranslation(course_id=course.id, language=language)
            db.session.add(row)
        row.title, row.summary = version.title, version.summary
        row.landing_html = version.landing_html
    for row in stored.values():
        db.session.delete(row)


def _store_media(course: Course, spec: CourseSpec) -> None:
    stored = {m.name: m for m in db.session.scalars(
        select(CourseMedia).where(CourseMedia.course_id == course.id))}
    for media in spec.media:
        row = stored.get(media.name)
        if row is None:
            db.session.add(CourseMedia(course_id=course.id, name=media.name, sha256=media.sha256,
                                       content_type=media.content_type, data=media.data))
        elif row.sha256 != media.sha256:
            row.sha256, row.content_type, row.data = media.sha256, media.content_type, media.data
