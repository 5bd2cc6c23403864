"""Course files in the authoring format, written by tests: module and course front matter,
quiz and checklist blocks. Plain text helpers; the fixtures that write and import them are
in tests/factories.py."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

COURSE_MD = "---\ntitle: Aseptic basics\nsummary: Gowning and cleanrooms.\n{extra}---\nWelcome.\n"

QUIZ = """
```quiz
id: {quiz_id}
pass_mark: 80%
1.  Which grade is the critical zone?
    (x) Grade A
    ( ) Grade D
2.  Particle limit?
    = 3520
```
"""

MEDIA_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'


# A graded assessment with an essay, for the grading tests and the staff pages.
ESSAY_QUIZ = """
```quiz
id: deviation-report
pass_mark: 60%
1.  Which document starts an investigation?
    (x) A deviation report
    ( ) A batch record
2.  A colleague back-dated an entry. What do you do?
    ___
    rubric:
    - 4: Leaves the record untouched and informs QA
    - 2: Names the attributes breached
```
"""


def module_md(title: str, *, version: int = 1, body: str = "Text.", extra: str = "") -> str:
    """One module file's text: front matter (title, version, `extra` lines) and a body."""
    return f"---\ntitle: {title}\nversion: {version}\n{extra}---\n{body}\n"


def quiz(quiz_id: str | None, *questions: str, **settings: object) -> str:
    """A ```quiz block: its settings in the order given, then the questions, numbered.

    Each question is written as in a course file without its number and indentation: the
    question text on the first line, then its answer, feedback and setting lines (a feedback
    line under an answer keeps its own four extra spaces)::

        quiz("safety", "Which grade is the critical zone?\\n(x) Grade A\\n( ) Grade D",
             pass_mark="80%", attempts=2)

    `quiz_id=None` leaves the id out (an ungraded check may do without one).
    """
    lines = ["```quiz"]
    if quiz_id is not None:
        lines.append(f"id: {quiz_id}")
    lines += [f"{key}: {value}" for key, value in settings.items()]
    lines.append("")
    for number, question in enumerate(questions, start=1):
        first, *rest = question.strip("\n").split("\n")
        lines.append(f"{number}.  {first}")
        lines += [f"    {line}" if line else "" for line in rest]
    lines.append("```")
    return "\n".join(lines) + "\n"


def checklist(checklist_id: str, items: Iterable[str], **settings: object) -> str:
    """A ```checklist block. Items are their text (add ` {critical}` for a critical one);
    an item that starts with `### ` is a heading that groups the items after it."""
    lines = ["```checklist", f"id: {checklist_id}"]
    lines += [f"{key}: {value}" for key, value in settings.items()]
    lines.append("")
    lines += [item if item.startswith("### ") else f"- [ ] {item}" for item in items]
    lines.append("```")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class ModuleFile:
    """One module of a course for `make_course`: its id and what its front matter and body
    say. Unset keys are left out of the file, so the format's defaults apply; `blocks` are
    quiz and checklist blocks (see `quiz` and `checklist`) placed after the body."""

    id: str
    title: str | None = None  # default: the id in words, "Why gxp" for why-gxp
    body: str | None = None  # default: a heading and one sentence
    modality: str | None = None
    duration: str | None = None
    version: int | None = None
    objectives: Sequence[str] = ()
    competencies: Sequence[str] = ()
    prerequisites: Sequence[str] = ()
    optional: bool | None = None
    session: Mapping[str, Any] | None = None
    aliases: Sequence[str] = ()
    blocks: Sequence[str] = ()
    front: Mapping[str, Any] = field(default_factory=dict)  # any other key, as written

    @property
    def heading(self) -> str:
        return self.title or self.id.replace("-", " ").capitalize()

    def text(self) -> str:
        keys: dict[str, Any] = {"title": self.heading, "modality": self.modality,
                                "duration": self.duration, "version": self.version,
                                "objectives": list(self.objectives),
                                "competencies": list(self.competencies),
                                "prerequisites": list(self.prerequisites),
                                "optional": self.optional,
                                "session": dict(self.session) if self.session else None,
                                "aliases": list(self.aliases), **self.front}
        body = self.body if self.body is not None else f"# {self.heading}\n\nThe lesson.\n"
        return front_matter(keys) + body.rstrip("\n") + "\n" + "".join(
            "\n" + block for block in self.blocks)


def front_matter(keys: Mapping[str, Any]) -> str:
    kept = {key: value for key, value in keys.items() if value not in (None, [], {})}
    return "---\n" + yaml.safe_dump(kept, sort_keys=False, allow_unicode=True,
                                    default_flow_style=None, width=1000) + "---\n"
