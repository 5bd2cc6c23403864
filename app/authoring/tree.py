"""Pure rules about the files of a course source: which paths may exist, diffs, renames,
the new-course template. No Flask, no database."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from app.content.loader import COURSE_FILE, MEDIA_DIR, MODULE_FILE
from app.content.versions import COURSE_VERSION_FILE, VERSION_FILE

MEDIA_EXTENSIONS = (".svg", ".png", ".jpg", ".jpeg", ".webp", ".pdf")
TEXT_LIMIT = 1_000_000  # bytes in one Markdown file
MEDIA_LIMIT = 5_000_000  # bytes in one media file


def N_(message: str) -> str:
    """Marks `message` for the catalogs (`N_` is a name their extractor knows) without
    translating it: the page that shows it translates it."""
    return message


def english(message: str, **values: object) -> str:
    return message % values if values else message


@dataclass(frozen=True)
class Refusal:
    """Why a file or an archive cannot be taken: an English message, marked with N_, with its
    `%(name)s` values, and the file it is about. A page shows it translated (`text(_)`)."""

    message: str
    values: Mapping[str, object] = field(default_factory=dict)
    path: str | None = None

    def reason(self, translate: Callable[..., str] = english) -> str:
        return translate(self.message, **self.values)

    def text(self, translate: Callable[..., str] = english) -> str:
        reason = self.reason(translate)
        return f"{self.path}: {reason}" if self.path is not None else reason

    def __str__(self) -> str:
        return self.text()


def path_problem(path: str) -> Refusal | None:
    """Why `path` cannot be a file of a course source, or None. A course holds course.md,
    module files named like 01-welcome.md, and media files under media/."""
    parts = path.split("/")
    if not path:
        return Refusal(N_("(empty name): the path must be relative, with / between folders"))
    if path.startswith("/") or "\\" in path or re.match(r"^[A-Za-z]:", path):
        return Refusal(N_("the path must be relative, with / between folders"), path=path)
    if any(part in ("", ".", "..") for part in parts):
        return Refusal(N_("the path leaves the course folder"), path=path)
    if any(part.startswith(".") for part in parts):
        return Refusal(N_("hidden files are not part of a course"), path=path)
    if len(parts) == 1:
        if path == COURSE_FILE or MODULE_FILE.match(path) or VERSION_FILE.match(path) \
                or COURSE_VERSION_FILE.match(path):
            return None
        if path.lower().endswith(".md"):
            return Refusal(N_('module files must be named like "01-welcome.md": a number, '
                              '"-", then the module id in lowercase letters, digits and "-"'),
                           path=path)
        return Refusal(N_("only Markdown files (.md) at the top; media files go in media/"),
                       path=path)
    if parts[0] != MEDIA_DIR:
        return Refusal(N_("only course.md, module files and a media/ folder belong in a "
                          "course"), path=path)
    if not path.lower().endswith(MEDIA_EXTENSIONS):
        return Refusal(N_("media files must be svg, png, jpg, webp or pdf"), path=path)
    return None


def size_problem(path: str, size: int) -> Refusal | None:
    limit = MEDIA_LIMIT if path.startswith(MEDIA_DIR + "/") else TEXT_LIMIT
    if size > limit:
        return Refusal(N_("%(size)s MB is more than the %(limit)s MB allowed"),
                       {"size": f"{size / 1e6:.1f}", "limit": f"{limit / 1e6:g}"}, path)
    return None


def is_text(path: str) -> bool:
    return path.endswith(".md") or path.endswith(".svg")


@dataclass(frozen=True)
class FileChange:
    path: str
    status: str  # added, removed, changed
    diff: list[str]  # unified diff lines for text files; empty for binary media


def changes(old: Mapping[str, bytes], new: Mapping[str, bytes]) -> list[FileChange]:
    """What differs between two revisions, file by file, in path order."""
    found: list[FileChange] = []
    for path in sorted(set(old) | set(new)):
        before, after = old.get(path), new.get(path)
        if before == after:
            continue
        status = "added" if before is None else "removed" if after is None else "changed"
        lines: list[str] = []
        if is_text(path):
            lines = list(difflib.unified_diff(
                _lines(before), _lines(after), fromfile=f"published/{path}",
                tofile=f"draft/{path}", lineterm=""))
        found.append(FileChange(path, status, lines))
    return found


def text_diff(old: str, new: str, old_label: str, new_label: str) -> list[str]:
    return list(difflib.unified_diff(old.splitlines(), new.splitlines(), fromfile=old_label,
                                     tofile=new_label, lineterm=""))


def _lines(data: bytes | None) -> list[str]:
    return [] if data is None else data.decode("utf-8", errors="replace").splitlines()


def module_id(path: str) -> str | None:
    found = MODULE_FILE.match(path)
    return found.group(2) if found else None


_ALIASES_FLOW = re.compile(r"^aliases:\s*\[(.*)\]\s*$")


def with_alias(text: str, old_id: str) -> str:
    """Add `old_id` to the module's `aliases`, so that renaming its file keeps the learners'
    progress: the importer matches the module by its earlier id."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return text
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return text
    for index in range(1, end):
        flow = _ALIASES_FLOW.match(lines[index].rstrip("\n"))
        if flow:
            items = [i.strip() for i in flow.group(1).split(",") if i.strip()]
            if old_id not in items:
                items.append(old_id)
            lines[index] = f"aliases: [{', '.join(items)}]\n"
            return "".join(lines)
        if lines[index].rstrip() == "aliases:":
            last = index
            while last + 1 < end and lines[last + 1].lstrip().startswith("- "):
                last += 1
            lines.insert(last + 1, f"  - {old_id}\n")
            return "".join(lines)
    lines.insert(end, f"aliases: [{old_id}]\n")
    return "".join(lines)


# The front matter a language version keeps of the file it translates.
_VERSION_KEYS = {COURSE_FILE: ("title", "summary")}
_MODULE_VERSION_KEYS = ("title", "objectives")
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


def version_path(path: str, language: str) -> str:
    """`01-intro.md` -> `01-intro.fr.md`; `course.md` -> `course.fr.md`."""
    return f"{path.removesuffix('.md')}.{language}.md"


def version_text(path: str, text: str) -> str:
    """The start of a translation of `path`: its text with only the front matter a version
    may give (title and objectives; title and summary for course.md), everything else as it
    is, so that the structure is the original's until each text is translated."""
    keep = _VERSION_KEYS.get(path, _MODULE_VERSION_KEYS)
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return text
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return text
    front, kept = lines[1:end], True
    chosen = []
    for line in front:
        key = _TOP_KEY.match(line)
        if key is not None:
            kept = key.group(1) in keep
        if kept:
            chosen.append(line)
    note = (f"# A translation of {path}: translate the texts; every setting, answer key and "
            "point comes from the original.\n")
    return "".join([lines[0], note, *chosen, *lines[end:]])


def new_course_files(title: str) -> dict[str, bytes]:
    """A small course that already validates, to start from."""
    safe_title = title.replace('"', "'")
    course = f'''---
title: "{safe_title}"
summary: One or two sentences that tell learners what this course is for.
level: introductory
enrolment: open
---
# {safe_title}

Say who the course is for and what they will be able to do afterwards.
'''
    module = '''---
title: Introduction
modality: virtual
duration: 30 min
objectives:
  - State what this course covers
---
# Introduction

Write the lesson here in Markdown: headings, lists, tables, images from `media/`, and
callouts such as:

::: tip
Keep each module to what a learner can do in one sitting.
:::

```quiz
title: Check your understanding
1.  This is a knowledge check without a pass mark. Is it graded?
    ( ) Yes
    (x) No
    > Right: only quizzes with a pass_mark are assessments.
```
'''
    return {COURSE_FILE: course.encode(), "01-introduction.md": module.encode()}
