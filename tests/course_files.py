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


# Two questions, one choice and one number, that an attempt at them saves and submits: the
# quizzes' tests of attempts and of retried exam writes. `extra`: setting lines.
EXAM_QUIZ = """
```quiz
id: {slug}
pass_mark: 50%
attempts: 2
{extra}
1.  Which grade is the critical zone?
    (x) Grade A
    ( ) Grade D
2.  Particles per m³ allowed at 0.5 µm in grade A at rest?
    = 3520
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


# --- a course with a French version (language versions) ------------------------------------

YIELD_MODULE = """---
title: Yield and records
objectives:
  - yield: Calculate a yield
  - Record a correction
---
# Yield and records

Every batch has a **yield**.

::: facilitator
Ask for a yield from the last campaign.
:::

```quiz
id: yield-check
pass_mark: 50%
attempts: 3

1.  Which attribute is breached by a back-dated entry?
    (x) Contemporaneous
        > Right: it was not recorded when it happened.
    ( ) Legible
    hint: *When* was it written?
2.  Theoretical yield 10 000 vials, 9 850 released. Yield in %?
    = 98.5 +- 0.1
3.  Which EU GMP annex covers computerised systems?
    = Annex 11
4.  What do you do about a back-dated entry?
    ___
    rubric:
    - 2: Informs QA
    - 1: Names the attribute
```
"""

YIELD_MODULE_FR = """---
title: Rendement et enregistrements
objectives:
  - yield: Calculer un rendement
  - Enregistrer une correction
---
# Rendement et enregistrements

Chaque lot a un **rendement**.

::: facilitator
Demandez un rendement de la dernière campagne.
:::

```quiz
id: yield-check
pass_mark: 50%

1.  Quel attribut une entrée antidatée enfreint-elle ?
    (x) Contemporain
        > Exact : elle n'a pas été enregistrée au moment des faits.
    ( ) Lisible
    hint: *Quand* a-t-elle été écrite ?
2.  Rendement théorique 10 000 flacons, 9 850 libérés. Rendement en % ?
    = 98.5 +- 0.1
3.  Quelle annexe des BPF de l'UE couvre les systèmes informatisés ?
    = Annexe 11
4.  Que faites-vous d'une entrée antidatée ?
    ___
    rubric:
    - 2: Informe l'assurance qualité
    - 1: Nomme l'attribut
```
"""

COURSE_FR = ("---\ntitle: Bases de l'asepsie\nsummary: Habillage et salles propres.\n---\n"
             "Bienvenue.\n")


def bilingual_files(**replaced: str) -> dict[str, str]:
    """A one-module course in English with a French version of the module and of course.md;
    `replaced` puts other text in one of the files (by file name)."""
    files = {"01-yield.md": YIELD_MODULE, "01-yield.fr.md": YIELD_MODULE_FR,
             "course.fr.md": COURSE_FR}
    files.update(replaced)
    return files
