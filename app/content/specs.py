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
    """One thing in a course file to fix, reported as `path:line: error: message`.

    An error stops the import; a warning (`path:line: warning: message`) points at something
    learners would notice, and the course still imports.
    """

    path: str
    line: int
    message: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


class Problems:
    """Collects every problem of a run, so that all of them are reported at once.

    It is true when it holds an error: warnings never stop an import.
    """

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, path: str, line: int, message: str) -> None:
        self.items.append(Problem(path, max(line, 1), message))

    def warn(self, path: str, line: int, message: str) -> None:
        self.items.append(Problem(path, max(line, 1), message, WARNING))

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

    def answer_data(self) -> dict[str, Any]:
        """Everything needed to grade the question, answer key included (never for learners)."""
        from dataclasses import asdict

        data = asdict(self)
        for key in ("key", "position", "kind", "prompt_html", "line", "points"):
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
    time_limit_minutes: int | None = None
    show_answers: str = "after_pass"
    questions: list[QuestionSpec] = field(default_factory=list)

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


@dataclass
class ModuleSpec:
    slug: str
    position: int
    filename: str
    title: str
    modality: str = "virtual"
    duration_minutes: int | None = None
    version: int = 1
    objectives: list[str] = field(default_factory=list)
    competencies: list[str] = field(default_factory=list)
    prerequisites: list[str] = field(default_factory=list)
    optional: bool = False
    session: SessionSpec | None = None
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
