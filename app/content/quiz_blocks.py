"""The ```quiz blocks of a module, read line by line into specs.

A block arrives as its text and the file line of its first line. Markdown inside questions,
choices and feedback is turned into sanitized HTML by the `Inline` renderer the caller passes
in, so this module stays free of rendering details.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from app.content.block_reading import SETTING, Inline, typed_settings
from app.content.fields import (
    FieldError,
    check_id,
    choice,
    parse_duration,
    parse_int,
    parse_number,
    parse_percent,
    suggest,
    text,
)
from app.content.objectives import parse_objective_refs, parse_pick
from app.content.specs import (
    Choice,
    NumericAnswer,
    Problems,
    QuestionSpec,
    QuizSpec,
    RubricCriterion,
    TextAnswer,
)

_QUESTION = re.compile(r"^ {0,3}(\d+)[.)]\s+(.*)$")
_SINGLE = re.compile(r"^\(([ xX])\)\s+(.*)$")
_MULTI = re.compile(r"^\[([ xX])\]\s+(.*)$")
_ESSAY = re.compile(r"^_{3,}$")
_RUBRIC_LINE = re.compile(r"^-\s*(\d+(?:\.\d+)?)\s*:\s*(.+)$")
_NUM = r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"
_EXACT = re.compile(rf"^({_NUM})$")
_RANGE = re.compile(rf"^({_NUM})\s*\.\.\s*({_NUM})$")
_TOLERANCE = re.compile(rf"^({_NUM})\s*(?:\+-|±|\+/-)\s*({_NUM})\s*(%?)$")
_REGEX = re.compile(r"^/(.*)/([a-z]*)$")
_COMMA_DECIMAL = re.compile(r"^[-+]?\d+,\d+")
QUIZ_SETTINGS = {
    "id": check_id,
    "title": text,
    "pass_mark": parse_percent,
    "attempts": lambda v: parse_int(v, minimum=0),
    "shuffle": choice("questions", "choices", "all", "none"),
    "pick": parse_pick,
    "time_limit": parse_duration,
    "show_answers": choice("never", "after_submit", "after_pass", "after_last_attempt"),
}


def _parse_words(value: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*(?:-|\.\.|\u2013)\s*(\d+)\s*", value)
    if not match:
        raise FieldError(f'"{value}" is not a word range; write it like "80-250"',
                         code="bad-word-range")
    low, high = int(match.group(1)), int(match.group(2))
    if low > high:
        raise FieldError(f"{low} is more than {high}", code="word-range-reversed")
    return low, high


def _parse_points(value: str) -> float:
    points = parse_number(value)
    if points <= 0:
        raise FieldError("points must be more than zero", code="points-not-positive")
    return points


QUESTION_SETTINGS = {
    "points": _parse_points,
    "hint": text,
    "explain": text,
    "unit": text,
    "words": _parse_words,
    "id": check_id,
    "scoring": choice("partial", "all_or_nothing"),
    "rubric": lambda v: v,  # its criteria follow on "- N: criterion" lines
    "objective": parse_objective_refs,
    "asks": choice("recall", "apply"),
}


# Settings that only mean something for some question kinds.
SETTINGS_FOR_KINDS = (
    ("scoring", {"multiple"}, "multiple-answer questions ([ ])"),
    ("words", {"essay"}, "essays (___)"),
    ("rubric", {"essay"}, "essays (___)"),
    ("unit", {"numeric"}, "numeric answers"),
)


@dataclass
class _Answer:
    """An answer line as written, before the question's kind is known."""

    marker: str  # "single", "multi", "value", "wrong"
    correct: bool
    text: str
    line: int
    feedback: list[str] = field(default_factory=list)


@dataclass
class _RawQuestion:
    number: int
    line: int
    text: list[str]
    answers: list[_Answer] = field(default_factory=list)
    settings: dict[str, tuple[str, int]] = field(default_factory=dict)
    essay_line: int | None = None
    rubric: list[tuple[str, str, int]] = field(default_factory=list)


class _QuizReader:
    def __init__(self, path: str, problems: Problems) -> None:
        self.path = path
        self.problems = problems

    def error(self, line: int, message: str, code: str) -> None:
        self.problems.add(self.path, line, message, code=code)

    def read(self, lines: list[tuple[int, str]]) -> tuple[dict[str, tuple[str, int]],
                                                         list[_RawQuestion]]:
        settings: dict[str, tuple[str, int]] = {}
        questions: list[_RawQuestion] = []
        # The continuation target: where a line that is neither marker nor setting belongs.
        target: list[str] | None = None
        in_rubric = False
        last_answer: _Answer | None = None
        for line_no, raw in lines:
            stripped = raw.strip()
            if not stripped:
                continue
            started = _QUESTION.match(raw)
            if started:
                question = _RawQuestion(int(started.group(1)), line_no, [started.group(2)])
                questions.append(question)
                target, in_rubric, last_answer = question.text, False, None
                continue
            if not questions:
                self._quiz_setting(settings, stripped, line_no)
                continue
            question = questions[-1]
            if stripped.startswith(">"):
                if last_answer is None:
                    self.error(line_no, 'feedback ">" has no answer line above it',
                               code="feedback-without-answer")
                else:
                    last_answer.feedback.append(stripped[1:].strip())
                    target = last_answer.feedback
                continue
            if in_rubric:
                criterion = _RUBRIC_LINE.match(stripped)
                if criterion:
                    question.rubric.append((criterion.group(1), criterion.group(2), line_no))
                    continue
                in_rubric = False
            answer = self._answer(stripped, line_no)
            if answer is not None:
                question.answers.append(answer)
                last_answer, target = answer, None
                continue
            if _ESSAY.match(stripped):
                question.essay_line = line_no
                last_answer, target = None, None
                continue
            setting = SETTING.match(stripped)
            if setting:
                key, value = setting.group(1), setting.group(2) or ""
                if key not in QUESTION_SETTINGS:
                    self.error(line_no, f'unknown question setting "{key}"'
                               + suggest(key, QUESTION_SETTINGS), code="unknown-setting")
                elif key in question.settings:
                    self.error(line_no, f'"{key}" is given twice in question {question.number}',
                               code="duplicate-setting")
                else:
                    question.settings[key] = (value, line_no)
                    in_rubric = key == "rubric"
                last_answer = None
                target = None
                continue
            if target is None:
                self.error(line_no, f'cannot read "{stripped[:40]}" in question '
                           f"{question.number}: expected a choice, an answer, a setting or "
                           "feedback", code="unreadable-line")
                continue
            target.append(stripped)
        return settings, questions

    def _quiz_setting(self, settings: dict[str, tuple[str, int]], line: str,
                      line_no: int) -> None:
        match = SETTING.match(line)
        if not match:
            self.error(line_no, f'expected a quiz setting ("key: value") or a numbered question '
                       f'("1. ..."), not "{line[:40]}"', code="expected-setting-or-question")
            return
        key, value = match.group(1), match.group(2) or ""
        if key not in QUIZ_SETTINGS:
            self.error(line_no, f'unknown quiz setting "{key}"' + suggest(key, QUIZ_SETTINGS),
                       code="unknown-setting")
        elif key in settings:
            self.error(line_no, f'"{key}" is given twice in the quiz settings',
                       code="duplicate-setting")
        else:
            settings[key] = (value, line_no)

    @staticmethod
    def _answer(line: str, line_no: int) -> _Answer | None:
        for pattern, marker in ((_SINGLE, "single"), (_MULTI, "multi")):
            match = pattern.match(line)
            if match:
                return _Answer(marker, match.group(1).lower() == "x", match.group(2), line_no)
        if line.startswith("!="):
            return _Answer("wrong", False, line[2:].strip(), line_no)
        if line.startswith("=") and not line.startswith("=="):
            return _Answer("value", True, line[1:].strip(), line_no)
        return None


def _numeric(text_value: str) -> NumericAnswer | None:
    """The accepted numbers an `= ...` line describes, or None if it is not numeric."""
    if match := _EXACT.match(text_value):
        value = float(match.group(1))
        return NumericAnswer(value, value, text_value)
    if match := _RANGE.match(text_value):
        low, high = sorted((float(match.group(1)), float(match.group(2))))
        return NumericAnswer(low, high, text_value)
    if match := _TOLERANCE.match(text_value):
        value, tolerance = float(match.group(1)), abs(float(match.group(2)))
        if match.group(3):
            tolerance = abs(value) * tolerance / 100
        return NumericAnswer(value - tolerance, value + tolerance, text_value)
    return None


def _looks_numeric(text_value: str) -> bool:
    return bool(re.search(r"\+-|±|\.\.", text_value) or _COMMA_DECIMAL.match(text_value)
                or _numeric(text_value))


def read_quiz(block: str, first_line: int, *, path: str, position: int, default_slug: str,
              inline: Inline, problems: Problems) -> QuizSpec:
    reader = _QuizReader(path, problems)
    lines = [(first_line + n, raw) for n, raw in enumerate(block.splitlines())]
    raw_settings, raw_questions = reader.read(lines)
    opening = first_line - 1
    settings = typed_settings(raw_settings, QUIZ_SETTINGS, reader.error)

    quiz = QuizSpec(slug=str(settings.get("id", default_slug)), position=position, line=opening)
    quiz.title = str(settings.get("title", ""))
    quiz.pass_mark = settings.get("pass_mark")  # type: ignore[assignment]
    quiz.attempts = int(settings.get("attempts", 0))  # type: ignore[call-overload]
    quiz.shuffle = str(settings.get("shuffle", "none"))
    if "pick" in settings:
        quiz.pick, quiz.pick_per_objective = settings["pick"]  # type: ignore[misc]
    quiz.line_of = {key: line for key, (_value, line) in raw_settings.items()}
    quiz.time_limit_minutes = settings.get("time_limit")  # type: ignore[assignment]
    # A knowledge check has no pass mark to wait for: its answers show once submitted.
    default_show = "after_pass" if quiz.pass_mark is not None else "after_submit"
    quiz.show_answers = str(settings.get("show_answers", default_show))
    if quiz.pass_mark is not None and "id" not in raw_settings:
        reader.error(opening, 'a quiz with a pass_mark is an assessment and needs an "id"',
                     code="assessment-without-id")
    if not raw_questions:
        reader.error(opening, "the quiz has no questions: number them 1., 2., ...",
                     code="no-questions")
    if quiz.pick is not None and not quiz.pick_per_objective and quiz.pick > len(raw_questions):
        reader.error(raw_settings["pick"][1], f"pick: {quiz.pick} is more than the "
                     f"{len(raw_questions)} question(s) in the quiz", code="pick-too-large")

    seen: dict[str, int] = {}
    for position_in_quiz, raw in enumerate(raw_questions, start=1):
        question = _build_question(raw, position_in_quiz, reader, inline)
        if question is None:
            continue
        if question.key in seen:
            reader.error(raw.line, f'question id "{question.key}" is used twice in this quiz',
                         code="duplicate-question-id")
        if quiz.pick_per_objective and "objective" not in raw.settings:
            reader.error(raw.line, f'question {raw.number} has no "objective:": a quiz with '
                         '"pick: N per objective" draws each question from its objective\'s '
                         "group", code="question-without-objective")
        seen[question.key] = raw.line
        quiz.questions.append(question)
    return quiz


def _build_question(raw: _RawQuestion, position: int, reader: _QuizReader,
                    inline: Inline) -> QuestionSpec | None:
    settings = typed_settings(raw.settings, QUESTION_SETTINGS, reader.error)
    number = raw.number
    markers = {answer.marker for answer in raw.answers}
    kinds = {"single", "multi"} & markers
    if kinds == {"single", "multi"}:
        reader.error(raw.line, f"question {number} mixes ( ) and [ ] choices: use ( ) for one "
                     "right answer, [ ] for several", code="mixed-choice-markers")
        return None
    if kinds and markers & {"value", "wrong"}:
        reader.error(raw.line, f"question {number} mixes choices with = answers",
                     code="mixed-answers")
        return None
    if raw.essay_line is not None and markers:
        reader.error(raw.line, f"question {number} mixes an essay (___) with other answers",
                     code="mixed-answers")
        return None

    question = QuestionSpec(
        key=str(settings.get("id", str(position))), position=position, kind="",
        prompt_html=inline.block("\n".join(raw.text), raw.line), line=raw.line,
        number=number, points=float(settings.get("points", 1.0)),  # type: ignore[arg-type]
        hint_html=(inline.inline(str(settings["hint"]), raw.settings["hint"][1])
                   if "hint" in settings else ""),
        explain_html=(inline.inline(str(settings["explain"]), raw.settings["explain"][1])
                      if "explain" in settings else ""),
        unit=str(settings.get("unit", "")),
        scoring=str(settings.get("scoring", "all_or_nothing")),
        objective_refs=list(settings.get("objective", [])),  # type: ignore[call-overload]
        objective_line=raw.settings["objective"][1] if "objective" in raw.settings else 0,
        asks=str(settings.get("asks", "recall")),
    )

    def feedback(answer: _Answer) -> str:
        return inline.inline(" ".join(answer.feedback), answer.line) if answer.feedback else ""

    if kinds:
        question.choices = [Choice(inline.inline(a.text, a.line), a.correct, feedback(a), a.line)
                            for a in raw.answers]
        right = sum(choice.correct for choice in question.choices)
        if "single" in kinds:
            if right != 1:
                reader.error(raw.line, f"question {number} is single choice and needs exactly "
                             f"one (x); it has {right}", code="single-choice-needs-one")
            labels = {a.text.strip().lower() for a in raw.answers}
            question.kind = "true_false" if labels == {"true", "false"} else "single"
        else:
            if right == 0:
                reader.error(raw.line, f"question {number} needs at least one [x]",
                             code="no-correct-choice")
            question.kind = "multiple"
    elif "value" in markers or "wrong" in markers:
        _read_value_answers(question, raw, reader, feedback)
    elif raw.essay_line is not None:
        question.kind = "essay"
        if "words" in settings:
            question.words = settings["words"]  # type: ignore[assignment]
        if "rubric" not in raw.settings or not raw.rubric:
            reader.error(raw.essay_line, f'question {number} is an essay and needs a "rubric:" '
                         'followed by "- points: criterion" lines', code="essay-without-rubric")
        question.rubric = [RubricCriterion(float(points), inline.inline(criterion, line), line)
                           for points, criterion, line in raw.rubric]
    else:
        reader.error(raw.line, f"question {number} has no answer: add choices, an = answer, "
                     "or ___ for an essay", code="no-answer")
        return None
    for key, kinds_allowed, what in SETTINGS_FOR_KINDS:
        if key in raw.settings and question.kind not in kinds_allowed:
            reader.error(raw.settings[key][1], f'question {number}: "{key}" is only for {what}',
                         code="setting-not-for-kind")
    if question.kind == "essay" and "points" not in settings and question.rubric:
        question.points = sum(criterion.points for criterion in question.rubric)
    return question


def _read_value_answers(question: QuestionSpec, raw: _RawQuestion, reader: _QuizReader,
                        feedback: Callable[[_Answer], str]) -> None:
    accepted = [a for a in raw.answers if a.marker == "value"]
    if not accepted:
        reader.error(raw.line, f"question {raw.number} has only != lines: add the right "
                     "answer with =", code="no-right-answer")
    numeric = bool(question.unit) or any(
        not _REGEX.match(a.text) and _looks_numeric(a.text) for a in accepted)
    question.kind = "numeric" if numeric else "short_text"
    for answer in raw.answers:
        parsed = _numeric_answer(answer, reader) if numeric else _text_answer(answer, reader)
        if parsed is None:
            continue
        parsed.feedback_html = feedback(answer)
        if answer.marker == "wrong":
            question.wrong_answers.append(parsed)
        elif isinstance(parsed, NumericAnswer):
            question.numeric_answers.append(parsed)
        else:
            question.text_answers.append(parsed)


def _numeric_answer(answer: _Answer, reader: _QuizReader) -> NumericAnswer | None:
    parsed = _numeric(answer.text)
    if parsed is None:
        hint = (" (write digits without thousands separators, with a point before decimals)"
                if _COMMA_DECIMAL.match(answer.text) else "")
        reader.error(answer.line, f'numeric answer "{answer.text}" is not a number, a range '
                     f'"a .. b" or a tolerance "x +- t"{hint}', code="bad-numeric-answer")
        return None
    parsed.line = answer.line
    return parsed


def _text_answer(answer: _Answer, reader: _QuizReader) -> TextAnswer | None:
    if not answer.text:
        reader.error(answer.line, "an = or != line needs the answer text after it",
                     code="empty-answer")
        return None
    regex = _REGEX.match(answer.text)
    if regex is None:
        return TextAnswer(answer.text, line=answer.line)
    pattern, flags = regex.groups()
    unknown = set(flags) - {"i", "m", "s", "x"}
    if unknown:
        reader.error(answer.line, f"regex flags {''.join(sorted(unknown))!r} are not "
                     "supported (use i, m, s or x)", code="bad-regex-flags")
        return None
    try:
        re.compile(pattern, _regex_flags(flags))
    except re.error as error:
        reader.error(answer.line, f"regex /{pattern}/ does not compile: {error}",
                     code="bad-regex")
        return None
    return TextAnswer(answer.text, pattern=pattern, flags=flags, line=answer.line)


def _regex_flags(flags: str) -> int:
    table = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}
    result = 0
    for flag in flags:
        result |= table[flag]
    return result
