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

    An error stops the import; a warning (`path:line: warning: message [code]`) points at
    something learners would notice, and the course still imports. The message stays English
    in every interface language; its stable `code` (kebab-case, one of CODES) names its
    explanation in docs/authoring.md, for instructors who read another language first.
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
    # Its language versions (`NN-id.LANG.md`), by normalized tag ("fr", "pt-BR").
    versions: dict[str, ModuleVersionSpec] = field(default_factory=dict)


@dataclass
class ModuleVersionSpec:
    """A module's text in another language, from `NN-id.LANG.md`: its title, objectives,
    body and the texts of its quizzes and checklists. Everything else (settings, answer keys,
    points, structure) is the module's own; validation holds the two files to that."""

    language: str
    filename: str
    title: str
    objective_specs: list[ObjectiveSpec] = field(default_factory=list)
    body_html: str = ""
    facilitator_html: str = ""
    quizzes: list[QuizSpec] = field(default_factory=list)
    checklists: list[ChecklistSpec] = field(default_factory=list)
    content_hash: str = ""
    line_of: dict[str, int] = field(default_factory=dict)


@dataclass
class CourseVersionSpec:
    """The course's landing page in another language, from `course.LANG.md`."""

    language: str
    filename: str
    title: str
    summary: str
    landing_html: str = ""


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
    centre: str | None = None  # the owner centre's code (`centre:`), None: unchanged or hub
    landing_html: str = ""
    modules: list[ModuleSpec] = field(default_factory=list)
    media: list[MediaFile] = field(default_factory=list)
    content_hash: str = ""
    path: str = ""
    line_of: dict[str, int] = field(default_factory=dict)
    # The landing page's language versions (`course.LANG.md`), by normalized tag.
    versions: dict[str, CourseVersionSpec] = field(default_factory=dict)

    @property
    def version_languages(self) -> list[str]:
        """Every language the course has a version in, its own left out, sorted."""
        return sorted(set(self.versions) | {tag for module in self.modules
                                            for tag in module.versions})


# Every code a Problem can carry, with what it means in one line. docs/authoring.md's
# section "Error codes" explains each (a test holds the two together), so that an
# instructor who reads another language first can look up an English message by its code.
CODES: dict[str, str] = {
    "no-such-folder": "The path given to validate or import does not exist.",
    "no-course-file": "A folder inside the folder you checked has no `course.md`.",
    "bad-course-folder-name": "The course folder's name is not a valid course id.",
    "duplicate-course-id": "Two course folders in the same run have the same name.",
    "no-modules": "The course has no module files.",
    "bad-module-file-name": "A `.md` file other than `course.md` is not named like a module.",
    "not-utf8": "The file is not saved as UTF-8 text.",
    "media-type": "A file in `media/` is of a type TrainHub does not serve.",
    "media-link": "A file in `media/` is a shortcut (symbolic link).",
    "block-in-course-file": "`course.md` holds a quiz or a checklist.",
    "no-front-matter": "The file does not start with front matter.",
    "front-matter-not-closed": "The front matter has no closing `---` line.",
    "bad-yaml": "The front matter is not valid YAML.",
    "not-a-mapping": (
        "The front matter, or the part under `session:`, is not made of `key: value` lines."),
    "unknown-key": "A front matter key does not exist or is misspelt.",
    "duplicate-key": "A front matter key is given twice.",
    "missing-key": "A required front matter key is missing.",
    "empty-value": "A key has no value.",
    "not-a-single-value": "A key that takes one value was given a list or a map.",
    "not-a-list": "A key that takes a list was given something else.",
    "list-entry-not-single": "An entry of a list holds `: ` or brackets.",
    "unknown-option": "The value is not one of those the key allows.",
    "not-true-or-false": "A yes-or-no key has another value.",
    "not-a-whole-number": "The value is not a whole number.",
    "number-too-small": "The number is below the smallest allowed.",
    "not-a-number": "The value is not a number.",
    "hours-not-positive": "`hours` is zero or less.",
    "bad-duration": "The value is not a duration.",
    "duration-not-positive": "The duration is zero.",
    "bad-percentage": "The value is not a percentage.",
    "percentage-out-of-range": "The percentage is below 0 % or above 100 %.",
    "bad-id": "The value is not a valid id.",
    "bad-language-tag": "`language` is not a BCP 47 language tag.",
    "bad-objective-id": "An objective's id is not valid, most often because its text holds `: `.",
    "objective-not-one-line": "The text of an `id: text` objective is not one line.",
    "bad-objective-entry": "An entry of `objectives` holds more than one `key: value`.",
    "duplicate-objective-id": "Two objectives of a module have the same id.",
    "bad-objective-ref": "`objective:` names something that cannot be an objective.",
    "unknown-objective": "`objective:` names an objective, or a module, that does not exist.",
    "file-outside-media": (
        "An image or a link to `media/` points at a file that is not in the course's `media/` "
        "folder."),
    "unknown-callout": "The name after `:::` is not a known block.",
    "unclosed-block": "A `:::` block is not closed.",
    "stray-block-close": "A `:::` line closes no open block.",
    "unknown-block-type": "A fenced block is marked with a word close to `quiz` or `checklist`.",
    "block-in-facilitator": (
        "A quiz or a checklist sits inside `::: facilitator`, which learners never see."),
    "expected-setting-or-question": (
        "A line before a quiz's first question is neither a setting nor a question."),
    "unknown-setting": "A quiz, question or checklist setting does not exist or is misspelt.",
    "duplicate-setting": "A quiz, question or checklist setting is given twice.",
    "assessment-without-id": "A quiz with a `pass_mark` (an assessment) has no `id`.",
    "no-questions": "The quiz has no questions.",
    "pick-too-large": "`pick` asks for more questions than the quiz has.",
    "bad-pick": "`pick` says `per` something other than `objective`.",
    "objective-group-too-small": (
        "With `pick: N per objective`, an objective is the first of fewer than N questions."),
    "duplicate-block-id": "Two quizzes or checklists of the course have the same id.",
    "unreadable-line": (
        "A line in a question is neither a choice, an answer, a setting nor feedback."),
    "feedback-without-answer": "A `>` feedback line has no answer line above it.",
    "no-answer": "A question has no answers.",
    "mixed-choice-markers": "A question mixes `( )` and `[ ]` choices.",
    "mixed-answers": "A question mixes choices, `=` answers or an essay `___`.",
    "single-choice-needs-one": "A single-choice question does not have exactly one `(x)`.",
    "no-correct-choice": "A multiple-answer question has no `[x]`.",
    "no-right-answer": "A question has only `!=` lines.",
    "bad-numeric-answer": "A numeric `=` answer is not a number, a range or a tolerance.",
    "empty-answer": "An `=` or `!=` line has no answer after it.",
    "bad-regex-flags": "A pattern answer ends with flags other than `i`, `m`, `s` or `x`.",
    "bad-regex": "A pattern answer is not a valid regular expression.",
    "essay-without-rubric": "An essay question has no rubric.",
    "setting-not-for-kind": "A question setting does not apply to this kind of question.",
    "question-without-objective": (
        "In a quiz with `pick: N per objective`, a question has no `objective:`."),
    "duplicate-question-id": "Two questions of a quiz have the same id.",
    "points-not-positive": "`points` is zero or less.",
    "bad-word-range": "`words` is not a range of words.",
    "word-range-reversed": "`words` gives the larger number first.",
    "checklist-without-id": "A checklist has no `id`.",
    "empty-checklist": "A checklist has no items.",
    "bad-checklist-item": "A line of a checklist is not an item.",
    "setting-after-items": "A checklist setting comes after a heading or an item.",
    "duplicate-module-id": "Two modules have the same id, or an alias equals another module's id.",
    "unknown-prerequisite": "A module's `prerequisites` names no module of the course.",
    "prerequisite-cycle": "Modules require each other, directly or through others.",
    "unknown-course-prerequisite": "The course's `prerequisites` names no other course.",
    "course-prerequisite-cycle": "Courses require each other.",
    "version-went-down": "A module's `version` is lower than the version imported before.",
    "bad-centre-code": "`centre` is not written like a centre's code.",
    "unknown-centre": "`centre` names no centre of this TrainHub.",
    "centre-not-yours": "`centre` names a centre where the publisher does not teach.",
    "objective-not-applied": "No question asks to apply an objective of a required module.",
    "objective-left-out": "A plain `pick: N` can leave an objective out of some draws.",
    "no-feedback": "A question has neither `explain:` nor `>` feedback under a right answer.",
    "hours-gap": (
        "`hours` differs by more than a quarter of an hour from the required modules' durations."),
    "unlimited-attempts": "A graded assessment allows unlimited attempts.",
    "answer-positions": "Most right answers of a quiz sit at one choice position.",
    # Language versions (content/versions.py).
    "version-without-module": (
        'A language version `NN-id.LANG.md` has no module `NN-id.md` beside it.'),
    "version-language-invalid": (
        "The language tag in a version's file name is not one TrainHub knows."),
    "version-language-is-original": "A version's tag is the course's own language.",
    "version-language-mismatch": (
        '`language:` in a version says another language than its file name.'),
    "module-language-mismatch": "`language:` in a module file differs from the course's language.",
    "version-key-forbidden": (
        'A version sets a front matter key that comes from the file it translates.'),
    "version-duplicate": 'Two files are the same language version.',
    "version-objectives-mismatch": (
        'A version lists another number of objectives, or another id at some place.'),
    "version-quiz-mismatch": (
        "A version's quizzes are not the original's, in the same order, with the same ids."),
    "version-quiz-settings": "A quiz setting other than `title` differs from the original's.",
    "version-question-mismatch": (
        "A version's quiz has another number of questions, or a question another id or type."),
    "version-choices-mismatch": (
        "A version's question has another number of choices, or its right choices elsewhere."),
    "version-numeric-mismatch": "A version's numeric question accepts other numbers.",
    "version-points-mismatch": (
        "A version's question is worth other points, or its rubric gives other points."),
    "version-question-settings": (
        '`scoring`, `unit`, `words`, `asks` or `objective:` differ from the original.'),
    "version-checklist-mismatch": (
        "A version's checklist has another id, settings, groups, items or critical items."),
}
