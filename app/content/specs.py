"""Typed specs of a course as its files describe it, each with the line it came from.

Pure data: the parser builds them, the importer stores them. No Flask, no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing in a course file to fix, reported as `path:line: error: message [code]`.

    An error stops the import; a warning (`path:line: warning: message`) points at something
    learners would notice, and the course still imports. The message stays English in every
    interface language; its stable `code` (kebab-case) names its explanation in
    docs/authoring.md, for instructors who read another language first.
    """

    path: str
    line: int
    message: str
    severity: str = ERROR
    code: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.severity}: {self.message}"
        return f"{text} [{self.code}]" if self.code else text


class Problems:
    """Collects every problem of a run, so that all of them are reported at once.

    It is true when it holds an error: warnings never stop an import.
    """

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, path: str, line: int, message: str, code: str = "") -> None:
        self.items.append(Problem(path, max(line, 1), message, code=code))

    def warn(self, path: str, line: int, message: str, code: str = "") -> None:
        self.items.append(Problem(path, max(line, 1), message, WARNING, code))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    def __bool__(self) -> bool:
        return any(problem.is_error for problem in self.items)

    def sorted(self) -> list[Problem]:
        """Every problem, errors and warnings, in file order."""
        return sorted(set(self.items))

    def errors(self) -> list[Problem]:
        return [problem for problem in self.sorted() if problem.is_error]

    def warnings(self) -> list[Problem]:
        return [problem for problem in self.sorted() if not problem.is_error]


class ContentError(Exception):
    """Raised with every problem found when a course cannot be read."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Choice:
    text_html: str
    correct: bool
    feedback_html: str = ""
    line: int = 0


@dataclass
class NumericAnswer:
    """Accepted numbers: `low <= x <= high`. `text` is how the author wrote it."""

    low: float
    high: float
    text: str
    feedback_html: str = ""
    line: int = 0


@dataclass
class TextAnswer:
    """An accepted (or anticipated wrong) short answer: a normalized text or a regex."""

    text: str
    pattern: str | None = None
    flags: str = ""
    feedback_html: str = ""
    line: int = 0


@dataclass
class RubricCriterion:
    points: float
    text: str
    line: int = 0


@dataclass
class QuestionSpec:
    key: str
    position: int
    kind: str
    prompt_html: str
    line: int
    number: int = 0  # as written before the point, for messages
    points: float = 1.0
    hint_html: str = ""
    explain_html: str = ""
    choices: list[Choice] = field(default_factory=list)
    scoring: str = "all_or_nothing"
    numeric_answers: list[NumericAnswer] = field(default_factory=list)
    text_answers: list[TextAnswer] = field(default_factory=list)
    wrong_answers: list[NumericAnswer | TextAnswer] = field(default_factory=list)
    unit: str = ""
    words: tuple[int, int] | None = None
    rubric: list[RubricCriterion] = field(default_factory=list)
    # `objective:` as written (bare or `<module>/<objective>` refs) and its line; `objectives`
    # are the same refs course-wide, once the loader has resolved them against every module.
    objective_refs: list[str] = field(default_factory=list)
    objective_line: int = 0
    objectives: list[str] = field(default_factory=list)
    # `recall` a name or a number, or `apply` the objective: a case, a calculation, a decision.
    asks: str = "recall"

    def answer_data(self) -> dict[str, Any]:
        """Everything needed to grade the question, answer key included (never for learners).

        What the question assesses is stored beside it, not in here: an attempt's snapshot
        carries this data, and a learner's attempt has no use for it."""
        from dataclasses import asdict

        data = asdict(self)
        for key in ("key", "position", "kind", "prompt_html", "line", "number", "points",
                    "objective_refs", "objective_line", "objectives", "asks"):
            data.pop(key)
        return data


@dataclass
class QuizSpec:
    slug: str
    position: int
    line: int
    title: str = ""
    pass_mark: int | None = None
    attempts: int = 0
    shuffle: str = "none"
    pick: int | None = None
    # `pick: N per objective`: N questions from each objective's group (a question's group
    # is its first objective) instead of N from the whole block.
    pick_per_objective: bool = False
    time_limit_minutes: int | None = None
    show_answers: str = "after_pass"
    questions: list[QuestionSpec] = field(default_factory=list)
    line_of: dict[str, int] = field(default_factory=dict)  # the line of each setting

    @property
    def is_assessment(self) -> bool:
        return self.pass_mark is not None


@dataclass
class ChecklistItemSpec:
    key: str
    position: int
    section: str
    text_html: str
    critical: bool
    line: int


@dataclass
class ChecklistSpec:
    slug: str
    position: int
    line: int
    title: str = ""
    pass_percent: int = 100
    all_critical: bool = True
    attempts: int = 0
    items: list[ChecklistItemSpec] = field(default_factory=list)


@dataclass
class SessionSpec:
    attendance: str = "required"
    capacity: int | None = None
    materials: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ObjectiveSpec:
    """A learning objective of a module: `id` is the author's, or its place in the list."""

    id: str
    text: str
    line: int


@dataclass
class ModuleSpec:
    slug: str
    position: int
    filename: str
    title: str
    modality: str = "virtual"
    duration_minutes: int | None = None
    version: int = 1
    objectives: list[str] = field(default_factory=list)  # their text: what learners see
    competencies: list[str] = field(default_factory=list)
    prerequisites: list[str] = field(default_factory=list)
    optional: bool = False
    session: SessionSpec | None = None
    objective_specs: list[ObjectiveSpec] = field(default_factory=list)  # the same, with ids
    aliases: list[str] = field(default_factory=list)
    body_html: str = ""
    facilitator_html: str = ""
    quizzes: list[QuizSpec] = field(default_factory=list)
    checklists: list[ChecklistSpec] = field(default_factory=list)
    content_hash: str = ""
    line_of: dict[str, int] = field(default_factory=dict)


@dataclass
class MediaFile:
    name: str
    sha256: str
    content_type: str
    data: bytes


@dataclass
class CourseSpec:
    slug: str
    title: str
    summary: str
    language: str = "en"
    direction: str = "ltr"
    level: str | None = None
    tags: list[str] = field(default_factory=list)
    enrolment: str = "open"
    prerequisites: list[str] = field(default_factory=list)
    competencies: list[str] = field(default_factory=list)
    certificate: bool = True
    hours: float | None = None
    landing_html: str = ""
    modules: list[ModuleSpec] = field(default_factory=list)
    media: list[MediaFile] = field(default_factory=list)
    content_hash: str = ""
    path: str = ""
    line_of: dict[str, int] = field(default_factory=dict)
