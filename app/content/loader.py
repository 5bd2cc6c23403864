"""Read course folders into specs and check everything that spans files.

`load_courses(paths)` returns the courses and every problem found in all of them; nothing
here touches Flask or a database.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.content.fields import (
    Report,
    check_centre_code,
    check_id,
    check_language,
    choice,
    direction_of,
    entries,
    listing,
    mapping,
    parse_bool,
    parse_duration,
    parse_hours,
    parse_int,
    read_mapping,
    scalar,
    suggest,
)
from app.content.frontmatter import split_front_matter
from app.content.objectives import name_objectives, read_objective, resolve_objectives
from app.content.render import MEDIA_URL_PREFIX, render_body
from app.content.rules import course_findings
from app.content.specs import (
    CourseSpec,
    CourseVersionSpec,
    MediaFile,
    ModuleSpec,
    ModuleVersionSpec,
    Problems,
    SessionSpec,
)
from app.content.versions import (
    COURSE_VERSION_FILE,
    COURSE_VERSION_KEYS,
    MODULE_VERSION_KEYS,
    VERSION_FILE,
    check_declared_language,
    check_front_keys,
    check_module_version,
    check_tag,
    same_language,
)

COURSE_FILE = "course.md"
MEDIA_DIR = "media"
MEDIA_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
               ".jpeg": "image/jpeg", ".webp": "image/webp", ".gif": "image/gif",
               ".pdf": "application/pdf"}
MODULE_FILE = re.compile(r"^(\d+)-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
COURSE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

COURSE_SCHEMA = {
    "title": scalar(required=True),
    "summary": scalar(required=True),
    "language": scalar(check_language, default="en"),
    "level": scalar(choice("introductory", "intermediate", "advanced")),
    "tags": listing(),
    "enrolment": scalar(choice("open", "approval"), default="open"),
    "prerequisites": listing(check_id),
    "competencies": listing(),
    "certificate": scalar(parse_bool, default=True),
    "hours": scalar(parse_hours),
    # The centre that owns the course: a new course belongs to the hub without it.
    "centre": scalar(check_centre_code),
}

SESSION_SCHEMA = {
    "attendance": scalar(choice("required", "optional"), default="required"),
    "capacity": scalar(lambda v: parse_int(v, minimum=1)),
    "materials": listing(),
}

MODULE_SCHEMA = {
    "title": scalar(required=True),
    "modality": scalar(choice("virtual", "classroom", "hands-on"), default="virtual"),
    "duration": scalar(parse_duration),
    "version": scalar(lambda v: parse_int(v, minimum=1), default=1),
    "objectives": entries(read_objective),
    "competencies": listing(),
    "prerequisites": listing(check_id),
    "optional": scalar(parse_bool, default=False),
    "session": mapping(SESSION_SCHEMA),
    "aliases": listing(check_id),
    # The course's own language, said again (a module is always in its course's language).
    "language": scalar(check_language),
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def media_url(course: str, name: str, digest: str) -> str:
    """Where the app serves a media file: the hash in the path lets browsers cache it forever."""
    return f"{MEDIA_URL_PREFIX}{course}/{digest[:16]}/{name}"


# What is stored of a course depends on its files and on how they are rendered. Raise this
# whenever the same files would be stored differently, so that the next import renders every
# course again rather than skipping it as unchanged (courses imported before carry a hash
# without it). 2: media links moved from /media/ to /content/media/. 3: a callout's default
# heading is in the file's language.
RENDERER_VERSION = 3


def import_hash(files_fingerprint: str) -> str:
    """A course's content hash: its files' fingerprint under this renderer. The files alone
    are `fingerprint(folder)` (what authoring keeps as a revision's hash)."""
    return sha256(f"{files_fingerprint} rendered by {RENDERER_VERSION}".encode())


def module_hash(data: bytes, media_urls: dict[str, str]) -> str:
    """A module's content hash: its file under this renderer, with the addresses of the
    course's media its links point to (a changed image gets a new address)."""
    hasher = hashlib.sha256(f"rendered by {RENDERER_VERSION}\0".encode())
    for url in sorted(media_urls.values()):
        hasher.update(url.encode() + b"\0")
    hasher.update(data)
    return hasher.hexdigest()


@dataclass
class _Front:
    values: dict[str, Any]
    lines: dict[str, int]
    body: str
    body_line: int


def _read_front(path: str, source: str, schema: dict[str, Any], what: str,
                problems: Problems) -> _Front:
    split = split_front_matter(source)
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    if split.error:
        problems.add(path, split.error.line, split.error.message, code=split.error.code)
    if split.node is not None:
        values, lines = read_mapping(split.node, schema, lambda line, msg, code: problems.add(
            path, line, msg, code=code), what=what, line_offset=1)
    elif "title" in schema:
        values.setdefault("title", "")
    return _Front(values, lines, split.body, split.body_line)


def course_folders(paths: Iterable[Path]) -> tuple[list[Path], Problems]:
    """Expand each path: a course folder itself, or a folder of course folders."""
    folders: list[Path] = []
    problems = Problems()
    for path in paths:
        if (path / COURSE_FILE).is_file():
            folders.append(path)
        elif path.is_dir():
            found = sorted(child for child in path.iterdir()
                           if child.is_dir() and not child.name.startswith("."))
            for child in found:
                if (child / COURSE_FILE).is_file():
                    folders.append(child)
                else:
                    problems.add(str(child / COURSE_FILE), 1, "this course folder has no "
                                 "course.md", code="no-course-file")
        else:
            problems.add(str(path), 1, "no such course folder", code="no-such-folder")
    return folders, problems


def load_course(folder: Path, problems: Problems) -> CourseSpec:
    slug = folder.name
    course_path = str(folder / COURSE_FILE)
    if not COURSE_ID.match(slug):
        problems.add(course_path, 1, f'course folder "{slug}" must be named with lowercase '
                     'letters, digits and "-" (its name is the course id)',
                     code="bad-course-folder-name")
    media, media_urls = _load_media(folder, slug, problems)

    source_bytes = (folder / COURSE_FILE).read_bytes()
    front = _read_front(course_path, _decode(source_bytes, course_path, problems),
                        COURSE_SCHEMA, "course.md", problems)
    values = front.values
    landing = render_body(front.body, front.body_line, path=course_path, media_urls=media_urls,
                          default_quiz_slug=lambda n: f"course-quiz-{n}", problems=problems,
                          title=values.get("title", ""), language=values.get("language", "en"))
    if landing.quizzes or landing.checklists:
        problems.add(course_path, front.body_line, "quizzes and checklists belong in module "
                     "files, not in course.md", code="block-in-course-file")
    language = values.get("language", "en")
    course = CourseSpec(
        slug=slug, title=values.get("title", ""), summary=values.get("summary", ""),
        language=language, direction=direction_of(language), level=values.get("level"),
        tags=values.get("tags", []), enrolment=values.get("enrolment", "open"),
        prerequisites=values.get("prerequisites", []),
        competencies=values.get("competencies", []),
        certificate=values.get("certificate", True), hours=values.get("hours"),
        centre=values.get("centre"), landing_html=landing.html, media=media, path=str(folder),
        line_of=front.lines,
    )
    version_files = []
    for module_file in sorted(folder.glob("*.md")):
        if module_file.name == COURSE_FILE:
            continue
        if VERSION_FILE.match(module_file.name) or COURSE_VERSION_FILE.match(module_file.name):
            version_files.append(module_file)
            continue
        data = module_file.read_bytes()
        module = _load_module(module_file, data, course, media_urls, problems)
        if module is not None:
            course.modules.append(module)
    course.modules.sort(key=lambda m: (m.position, m.slug))
    if not course.modules:
        problems.add(course_path, 1, 'the course has no modules: add files named like '
                     '"01-welcome.md"', code="no-modules")
    _load_versions(course, version_files, media_urls, problems)
    course.content_hash = import_hash(fingerprint(folder))
    _check_modules(course, problems)
    resolve_objectives(course, problems)
    for finding in course_findings(course):
        where = course_path if finding.module is None else _module_path(course, finding.module)
        problems.warn(where, finding.line, finding.message, code=finding.code)
    return course


def _decode(data: bytes, path: str, problems: Problems) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.add(path, line, "the file is not UTF-8 text", code="not-utf8")
        return data.decode("utf-8", errors="replace")


def fingerprint(folder: Path) -> str:
    """One hash over every file of a course folder: equal hashes, identical course.

    Cheap next to parsing, so an import can skip courses whose files have not changed.
    """
    return tree_fingerprint(
        (path.relative_to(folder).as_posix(), path.read_bytes())
        for path in folder.rglob("*") if path.is_file())


def tree_fingerprint(files: Iterable[tuple[str, bytes]]) -> str:
    """The fingerprint of files given as (relative posix path, bytes): the same hash for a
    folder on disk and for the same files held anywhere else. Hidden files do not count."""
    hasher = hashlib.sha256()
    kept = [(path, data) for path, data in files
            if not any(part.startswith(".") for part in path.split("/"))]
    for path, data in sorted(kept, key=lambda item: item[0].split("/")):
        hasher.update(path.encode() + b"\0")
        hasher.update(sha256(data).encode())
    return hasher.hexdigest()


def _load_media(folder: Path, slug: str, problems: Problems
                ) -> tuple[list[MediaFile], dict[str, str]]:
    media: list[MediaFile] = []
    urls: dict[str, str] = {}
    media_dir = folder / MEDIA_DIR
    if not media_dir.is_dir():
        return media, urls
    for path in sorted(media_dir.rglob("*")):
        name = path.relative_to(media_dir).as_posix()
        if path.is_dir() or any(part.startswith(".") for part in name.split("/")):
            continue
        content_type = MEDIA_TYPES.get(path.suffix.lower())
        if path.is_symlink():
            problems.add(str(path), 1, "media files must be real files, not links",
                         code="media-link")
            continue
        if content_type is None:
            problems.add(str(path), 1, "media files must be svg, png, jpg, webp, gif or pdf "
                         f"({mimetypes.guess_type(path.name)[0] or 'unknown type'} found)",
                         code="media-type")
            continue
        data = path.read_bytes()
        digest = sha256(data)
        media.append(MediaFile(name, digest, content_type, data))
        urls[f"{MEDIA_DIR}/{name}"] = media_url(slug, name, digest)
    return media, urls


def _load_module(path: Path, data: bytes, course: CourseSpec, media_urls: dict[str, str],
                 problems: Problems) -> ModuleSpec | None:
    name = MODULE_FILE.match(path.name)
    if name is None:
        problems.add(str(path), 1, f'module file "{path.name}" must be named like '
                     '"01-welcome.md": a number, "-", then the module id',
                     code="bad-module-file-name")
        return None
    position, slug = int(name.group(1)), name.group(2)
    front = _read_front(str(path), _decode(data, str(path), problems), MODULE_SCHEMA,
                        "the module front matter", problems)
    values = front.values
    if "language" in values and not same_language(values["language"], course.language):
        problems.add(str(path), front.lines["language"], f"language: {values['language']} "
                     f"differs from the course's language ({course.language}): a module is in "
                     "its course's language; a translation goes in a version file such as "
                     f'"{path.stem}.{values["language"]}.md"', code="module-language-mismatch")
    body = render_body(front.body, front.body_line, path=str(path), media_urls=media_urls,
                       default_quiz_slug=lambda n: f"{slug}-quiz-{n}", problems=problems,
                       title=values.get("title", ""), language=course.language)
    objectives = name_objectives(values.get("objectives", []),
                                 lambda line, message, code: problems.add(str(path), line,
                                                                          message, code=code))
    session_values = values.get("session")
    session = None
    if session_values is not None:
        session = SessionSpec(
            attendance=session_values.get("attendance", "required"),
            capacity=session_values.get("capacity"),
            materials=session_values.get("materials", []),
        )
    return ModuleSpec(
        slug=slug, position=position, filename=path.name, title=values.get("title", ""),
        modality=values.get("modality", "virtual"),
        duration_minutes=values.get("duration"), version=values.get("version", 1),
        objectives=[o.text for o in objectives], objective_specs=objectives,
        competencies=values.get("competencies", []),
        prerequisites=values.get("prerequisites", []), optional=values.get("optional", False),
        session=session, aliases=values.get("aliases", []),
        body_html=body.html, facilitator_html=body.facilitator_html, quizzes=body.quizzes,
        checklists=body.checklists, content_hash=module_hash(data, media_urls),
        line_of=front.lines,
    )


def _load_versions(course: CourseSpec, files: list[Path], media_urls: dict[str, str],
                   problems: Problems) -> None:
    """Read each `course.LANG.md` and `NN-id.LANG.md` and hold it to what it translates."""
    by_file = {module.filename: module for module in course.modules}
    for path in files:
        def report(line: int, message: str, *, code: str, where: str = str(path)) -> None:
            problems.add(where, line, message, code=code)

        landing = COURSE_VERSION_FILE.match(path.name)
        match = VERSION_FILE.match(path.name)
        named = landing or match
        assert named is not None  # the caller kept only files named so
        written = named.group(1) if landing else named.group(3)
        tag = check_tag(written, course.language, report)
        if landing:
            course_version = _load_course_version(path, tag or written, media_urls, problems,
                                                  report)
            if tag is not None:
                _keep(course.versions, tag, course_version, path, report)
            continue
        assert match is not None
        original = by_file.get(f"{match.group(1)}-{match.group(2)}.md")
        if original is None:
            same_id = next((m for m in course.modules if m.slug == match.group(2)), None)
            hint = (f'; did you mean "{Path(same_id.filename).stem}.{written}.md"?'
                    if same_id else "")
            report(1, f'{path.name} translates "{match.group(1)}-{match.group(2)}.md", which '
                   f"is not a module of this course{hint}", code="version-without-module")
            continue
        version = _load_module_version(path, tag or written, original, media_urls, problems,
                                       report)
        if tag is not None:
            check_module_version(original, version, report)
            _keep(original.versions, tag, version, path, report)


def _keep(versions: dict[str, Any], tag: str, version: Any, path: Path,
          report: Report) -> None:
    if tag in versions:
        report(1, f"{versions[tag].filename} is the {tag} version already",
               code="version-duplicate")
    versions.setdefault(tag, version)


def _load_module_version(path: Path, tag: str, original: ModuleSpec,
                         media_urls: dict[str, str], problems: Problems,
                         report: Report) -> ModuleVersionSpec:
    data = path.read_bytes()
    front = _read_front(str(path), _decode(data, str(path), problems), MODULE_SCHEMA,
                        "the version's front matter", problems)
    check_front_keys(front.lines, MODULE_VERSION_KEYS, original.filename, report)
    check_declared_language(front.values.get("language"), tag, front.lines.get("language", 1),
                            report)
    title = front.values.get("title", "")
    body = render_body(front.body, front.body_line, path=str(path), media_urls=media_urls,
                       default_quiz_slug=lambda n: f"{original.slug}-quiz-{n}",
                       problems=problems, title=title, language=tag)
    objectives = name_objectives(front.values.get("objectives", []),
                                 lambda line, message, code: problems.add(str(path), line,
                                                                          message, code=code))
    return ModuleVersionSpec(
        language=tag, filename=path.name, title=title, objective_specs=objectives,
        body_html=body.html, facilitator_html=body.facilitator_html, quizzes=body.quizzes,
        checklists=body.checklists, content_hash=module_hash(data, media_urls),
        line_of=front.lines)


def _load_course_version(path: Path, tag: str, media_urls: dict[str, str], problems: Problems,
                         report: Report) -> CourseVersionSpec:
    front = _read_front(str(path), _decode(path.read_bytes(), str(path), problems),
                        COURSE_SCHEMA, path.name, problems)
    check_front_keys(front.lines, COURSE_VERSION_KEYS, COURSE_FILE, report)
    if "language" in front.lines:
        check_declared_language(front.values.get("language"), tag, front.lines["language"],
                                report)
    title = front.values.get("title", "")
    landing = render_body(front.body, front.body_line, path=str(path), media_urls=media_urls,
                          default_quiz_slug=lambda n: f"course-quiz-{n}", problems=problems,
                          title=title, language=tag)
    if landing.quizzes or landing.checklists:
        problems.add(str(path), front.body_line, "quizzes and checklists belong in module "
                     "files, not in a version of course.md", code="block-in-course-file")
    return CourseVersionSpec(language=tag, filename=path.name, title=title,
                             summary=front.values.get("summary", ""),
                             landing_html=landing.html)


def _module_path(course: CourseSpec, module: ModuleSpec) -> str:
    return str(Path(course.path) / module.filename)


def _check_modules(course: CourseSpec, problems: Problems) -> None:
    """Ids unique across modules, aliases, quizzes and checklists; prerequisites resolve."""
    owners: dict[str, ModuleSpec] = {}
    for module in course.modules:
        path = _module_path(course, module)
        for name, line in [(module.slug, 1)] + [
                (alias, module.line_of.get("aliases", 1)) for alias in module.aliases]:
            other = owners.get(name)
            if other is not None and other is not module:
                problems.add(path, line, f'module id "{name}" is used by {other.filename} too',
                             code="duplicate-module-id")
            owners[name] = module
    assessed: dict[str, str] = {}
    for module in course.modules:
        path = _module_path(course, module)
        for kind, blocks in (("quiz", module.quizzes), ("checklist", module.checklists)):
            for block in blocks:
                where = f"{module.filename}:{block.line}"
                if block.slug in assessed:
                    problems.add(path, block.line, f'{kind} id "{block.slug}" is used at '
                                 f"{assessed[block.slug]} too", code="duplicate-block-id")
                assessed.setdefault(block.slug, where)
    slugs = {module.slug for module in course.modules}
    for module in course.modules:
        line = module.line_of.get("prerequisites", 1)
        for prerequisite in module.prerequisites:
            if prerequisite not in slugs:
                problems.add(_module_path(course, module), line,
                             f'prerequisite "{prerequisite}" names no module of this course'
                             + suggest(prerequisite, slugs), code="unknown-prerequisite")
    graph = {m.slug: [p for p in m.prerequisites if p in slugs] for m in course.modules}
    for cycle in find_cycles(graph):
        module = next(m for m in course.modules if m.slug == cycle[0])
        problems.add(_module_path(course, module), module.line_of.get("prerequisites", 1),
                     "prerequisites form a cycle: " + " -> ".join([*cycle, cycle[0]]),
                     code="prerequisite-cycle")


def find_cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Each cycle of the graph once, starting from its smallest node."""
    cycles: list[list[str]] = []
    seen_cycles: set[tuple[str, ...]] = set()
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):]
                start = cycle.index(min(cycle))
                normal = tuple(cycle[start:] + cycle[:start])
                if normal not in seen_cycles:
                    seen_cycles.add(normal)
                    cycles.append(list(normal))
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return cycles


def load_courses(paths: Iterable[Path], known_course_ids: Iterable[str] = ()
                 ) -> tuple[list[CourseSpec], Problems]:
    """Every course under `paths` and every problem in any of them.

    `known_course_ids` are courses already in TrainHub, which prerequisites may name.
    """
    folders, problems = course_folders(paths)
    courses = [load_course(folder, problems) for folder in folders]
    by_slug: dict[str, CourseSpec] = {}
    for course in courses:
        if course.slug in by_slug:
            problems.add(str(Path(course.path) / COURSE_FILE), 1,
                         f'course id "{course.slug}" is given twice', code="duplicate-course-id")
        by_slug[course.slug] = course
    known = set(known_course_ids) | set(by_slug)
    for course in courses:
        line = course.line_of.get("prerequisites", 1)
        for prerequisite in course.prerequisites:
            if prerequisite == course.slug or prerequisite not in known:
                problems.add(str(Path(course.path) / COURSE_FILE), line,
                             f'prerequisite "{prerequisite}" names no other course'
                             + suggest(prerequisite, known - {course.slug}),
                             code="unknown-course-prerequisite")
    graph = {c.slug: [p for p in c.prerequisites if p in by_slug] for c in courses}
    for cycle in find_cycles(graph):
        if len(cycle) == 1:
            continue  # a course naming itself is reported above
        course = by_slug[cycle[0]]
        problems.add(str(Path(course.path) / COURSE_FILE), course.line_of.get("prerequisites", 1),
                     "course prerequisites form a cycle: " + " -> ".join([*cycle, cycle[0]]),
                     code="course-prerequisite-cycle")
    return courses, problems
