"""Question types, one class each, found by kind in a registry: no `if kind == ...` chains.

Each type knows how an answer looks (`parse`), what is wrong with one (`problems`), how it
scores (`score`, a pure function of the question's data and the answer) and how to describe
the right answer. Question data is the `answer_data` the importer stored, plus its points.
Answers are small JSON values: {"choice": 2}, {"choices": [0, 3]}, {"value": "98.5"},
{"text": "Annex 11"}. A choice is stored by its place in the course file; on the learner's
page it is an opaque token of the attempt (`form_values` maps the tokens back).
The words a learner reads are marked for translation (Flask-Babel's gettext needs no app).
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, ClassVar

from flask import has_app_context
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.caches import AppCache
from app.core.formats import format_number
from app.core.i18n import current_language
from app.quizzes.numbers import read_decimal

Data = dict[str, Any]
Answer = dict[str, Any]


@dataclass(frozen=True)
class Score:
    points: float
    max_points: float
    # None while a person still has to grade it (essays).
    correct: bool | None
    feedback_html: list[str] = field(default_factory=list)

    @property
    def needs_grading(self) -> bool:
        return self.correct is None


class InvalidAnswer(ValueError):
    """The answer cannot be read (not a number, a choice that does not exist, ...)."""


class RefusedAnswer(InvalidAnswer):
    """The form sent a value this attempt never offered: it is refused, not kept as typed."""


class QuestionType:
    kind: ClassVar[str]
    label: ClassVar[str]
    # The macro of templates/quizzes/inputs.html that renders the learner's input.
    input_macro: ClassVar[str]
    auto_graded: ClassVar[bool] = True
    # Whether the learner picks among the question's choices (each attempt gives them tokens).
    has_choices: ClassVar[bool] = False

    def form_values(self, item: dict[str, Any], raw: list[str]) -> list[str]:
        """The submitted values as `parse` reads them, given the attempt's snapshot item."""
        return raw

    def parse(self, data: Data, raw: list[str]) -> Answer:
        """The answer from submitted form values (empty list: not answered)."""
        raise NotImplementedError

    def problems(self, data: Data, answer: Answer, locale: str = "en") -> list[str]:
        """What stops this answer from being submitted, in words for the learner. `locale`
        is the language the answer was typed in (numbers are written in its way)."""
        return []

    def score(self, data: Data, points: float, answer: Answer | None,
              locale: str = "en") -> Score:
        raise NotImplementedError

    def correct_answer(self, data: Data) -> str:
        raise NotImplementedError

    def given_answer(self, data: Data, answer: Answer | None) -> str:
        """The learner's own answer in words, as they gave it: a choice by its text (never
        its place or token); "" when not answered."""
        if not answer:
            return ""
        if answer.get("unreadable"):
            return str(answer["unreadable"][0])
        return str(answer.get("text", answer.get("value", "")))


# An attempt's page shows it under every question: each worker words each number of points
# once per interface locale (docs/performance.md).
POINTS_TEXTS: AppCache[tuple[float, str], str] = AppCache("points texts", size=1_000)


def points_text(points: float) -> str:
    """'1 point', '2 points', '0.5 points' (French '0,5 points'), in the interface's
    language."""
    if not has_app_context():  # a rule's own words, outside any app: worded each time
        return _points_text(points)
    return POINTS_TEXTS.get((float(points), str(get_locale())), lambda: _points_text(points))


def _points_text(points: float) -> str:
    # A fraction takes the plural form that a number such as 100 takes: "other" in
    # every language of the interface (a plural count must be a whole number).
    count = int(points) if float(points).is_integer() else 100
    return ngettext("%(points)s point", "%(points)s points", count,
                    points=format_number(points, current_language()))


def or_list(texts: list[str]) -> str:
    """'a or b or c', in the interface's language."""
    joined = texts[0] if texts else ""
    for text in texts[1:]:
        # Translators: two accepted answers, or the ones before and the next ("a or b").
        joined = _("%(first)s or %(second)s", first=joined, second=text)
    return joined


def question_type(kind: str) -> QuestionType:
    try:
        return QUESTION_TYPES[kind]
    except KeyError:
        raise ValueError(f"no question type {kind!r}") from None


def _strip_tags(markup: str) -> str:
    """Sanitized HTML as plain text, which the templates escape again."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


# --- choices --------------------------------------------------------------------------------


def _choice_index(data: Data, value: str) -> int:
    try:
        index = int(value)
    except ValueError:
        raise InvalidAnswer(_("Choose one of the answers.")) from None
    if not 0 <= index < len(data["choices"]):
        raise InvalidAnswer(_("Choose one of the answers."))
    return index


def _chosen(data: Data, indexes: list[int]) -> str:
    choices = data["choices"]
    return "; ".join(_strip_tags(choices[i]["text_html"]) for i in indexes
                     if 0 <= i < len(choices))


def _right_choices(data: Data) -> str:
    return "; ".join(_strip_tags(c["text_html"]) for c in data["choices"] if c["correct"])


class ChoiceQuestion(QuestionType):
    """A question answered by picking choices. The page sends the attempt's token of each
    picked choice, never its place, so a blind pattern of values earns nothing."""

    has_choices = True

    def form_values(self, item: dict[str, Any], raw: list[str]) -> list[str]:
        places = {token: str(index)
                  for index, token in enumerate(item.get("choice_tokens", []))}
        try:
            return [places[value] for value in raw if value != ""]
        except KeyError:
            raise RefusedAnswer(_("That is not one of this question's choices: reload the "
                                  "page and choose again.")) from None


class SingleChoice(ChoiceQuestion):
    kind = "single"
    label = _l("Single choice")
    input_macro = "single"

    def parse(self, data: Data, raw: list[str]) -> Answer:
        return {"choice": _choice_index(data, raw[0])} if raw and raw[0] != "" else {}

    def score(self, data: Data, points: float, answer: Answer | None,
              locale: str = "en") -> Score:
        if not answer or "choice" not in answer:
            return Score(0.0, points, False)
        chosen = data["choices"][answer["choice"]]
        feedback = [chosen["feedback_html"]] if chosen.get("feedback_html") else []
        return Score(points if chosen["correct"] else 0.0, points, bool(chosen["correct"]),
                     feedback)

    def correct_answer(self, data: Data) -> str:
        return _right_choices(data)

    def given_answer(self, data: Data, answer: Answer | None) -> str:
        return _chosen(data, [answer["choice"]]) if answer and "choice" in answer else ""


class TrueFalse(SingleChoice):
    kind = "true_false"
    label = _l("True or false")


class MultipleAnswer(ChoiceQuestion):
    kind = "multiple"
    label = _l("Multiple answer")
    input_macro = "multiple"

    def parse(self, data: Data, raw: list[str]) -> Answer:
        return {"choices": sorted({_choice_index(data, value) for value in raw if value})}

    def score(self, data: Data, points: float, answer: Answer | None,
              locale: str = "en") -> Score:
        chosen = set((answer or {}).get("choices", []))
        right = {i for i, c in enumerate(data["choices"]) if c["correct"]}
        wrong = set(range(len(data["choices"]))) - right
        feedback = [data["choices"][i]["feedback_html"] for i in sorted(chosen)
                    if data["choices"][i].get("feedback_html")]
        exact = chosen == right
        if data.get("scoring") == "partial":
            # Each right choice earns its share; each wrong one takes a share of the wrong
            # choices away; never below zero.
            fraction = len(chosen & right) / len(right) - (
                len(chosen & wrong) / len(wrong) if wrong else 0.0)
            return Score(round(points * max(0.0, fraction), 4), points, exact, feedback)
        return Score(points if exact else 0.0, points, exact, feedback)

    def correct_answer(self, data: Data) -> str:
        return _right_choices(data)

    def given_answer(self, data: Data, answer: Answer | None) -> str:
        return _chosen(data, list((answer or {}).get("choices", [])))


# --- numbers --------------------------------------------------------------------------------

def parse_number(text: str, unit: str = "", locale: str = "en") -> float:
    """A learner's number as `locale` writes it, or with a point or a comma before decimals
    (numbers.py says the rule); the unit may follow."""
    number = text.strip()
    if unit:
        # The unit, spaced or not, at the end: "98.5 %", "98.5%", "5 mg/mL", "5mg / mL".
        spelled = r"\s*".join(map(re.escape, unit.replace(" ", "")))
        match = re.fullmatch(rf"(.*?)\s*{spelled}", number)
        number = match.group(1) if match else number
    value = read_decimal(number, locale)
    if value is None or not math.isfinite(float(value)):
        raise InvalidAnswer(_("Enter a number (in %(unit)s).", unit=unit) if unit
                            else _("Enter a number."))
    return float(value)


def _within(value: float, low: float, high: float) -> bool:
    # Boundaries count as right; allow for binary rounding of decimal bounds.
    slack = 1e-12 * max(1.0, abs(low), abs(high))
    return low - slack <= value <= high + slack


class Numeric(QuestionType):
    kind = "numeric"
    label = _l("Number")
    input_macro = "numeric"

    def parse(self, data: Data, raw: list[str]) -> Answer:
        text = raw[0].strip() if raw else ""
        return {"value": text} if text else {}

    def problems(self, data: Data, answer: Answer, locale: str = "en") -> list[str]:
        try:
            parse_number(answer.get("value", ""), data.get("unit", ""), locale)
        except InvalidAnswer as error:
            return [str(error)]
        return []

    def score(self, data: Data, points: float, answer: Answer | None,
              locale: str = "en") -> Score:
        if not answer or "value" not in answer:
            return Score(0.0, points, False)
        try:
            value = parse_number(answer["value"], data.get("unit", ""), locale)
        except InvalidAnswer:
            return Score(0.0, points, False)
        for accepted in data["numeric_answers"]:
            if _within(value, accepted["low"], accepted["high"]):
                feedback = [accepted["feedback_html"]] if accepted.get("feedback_html") else []
                return Score(points, points, True, feedback)
        feedback = [w["feedback_html"] for w in data.get("wrong_answers", [])
                    if "low" in w and w.get("feedback_html")
                    and _within(value, w["low"], w["high"])]
        return Score(0.0, points, False, feedback[:1])

    def correct_answer(self, data: Data) -> str:
        unit = f" {data['unit']}" if data.get("unit") else ""
        return or_list([a["text"] + unit for a in data["numeric_answers"]])


# --- text -----------------------------------------------------------------------------------


def normalize_text(text: str) -> str:
    """Case, width and spacing do not matter: "  annex\u00a011 " equals "Annex 11"."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


def _matches(accepted: dict[str, Any], answer: str) -> bool:
    if accepted.get("pattern"):
        flags = 0
        for flag in accepted.get("flags", ""):
            flags |= _FLAGS[flag]
        # The whole answer must match: /11/ does not accept "Annex 110".
        return re.fullmatch(accepted["pattern"], answer.strip(), flags) is not None
    return normalize_text(accepted["text"]) == normalize_text(answer)


class ShortText(QuestionType):
    kind = "short_text"
    label = _l("Short answer")
    input_macro = "short_text"

    def parse(self, data: Data, raw: list[str]) -> Answer:
        text = raw[0] if raw else ""
        return {"text": text[:500]} if text.strip() else {}

    def score(self, data: Data, points: float, answer: Answer | None,
              locale: str = "en") -> Score:
        text = (answer or {}).get("text", "")
        if not text.strip():
            return Score(0.0, points, False)
        for accepted in data["text_answers"]:
            if _matches(accepted, text):
                feedback = [accepted["feedback_html"]] if accepted.get("feedback_html") else []
                return Score(points, points, True, feedback)
        feedback = [w["feedback_html"] for w in data.get("wrong_answers", [])
                    if "text" in w and w.get("feedback_html") and _matches(w, text)]
        return Score(0.0, points, False, feedback[:1])

    def correct_answer(self, data: Data) -> str:
        plain = [a["text"] for a in data["text_answers"] if not a.get("pattern")]
        return or_list(plain) if plain else _("an answer matching the expected pattern")


def word_count(text: str) -> int:
    return len(text.split())


class Essay(QuestionType):
    kind = "essay"
    label = _l("Essay")
    input_macro = "essay"
    auto_graded = False

    def parse(self, data: Data, raw: list[str]) -> Answer:
        text = raw[0] if raw else ""
        return {"text": text[:20_000]} if text.strip() else {}

    def problems(self, data: Data, answer: Answer, locale: str = "en") -> list[str]:
        if not data.get("words"):
            return []
        low, high = data["words"]
        count = word_count(answer.get("text", ""))
        if count < low:
            return [ngettext("Write at least %(num)d word (now %(count)d).",
                             "Write at least %(num)d words (now %(count)d).", low, count=count)]
        if count > high:
            return [ngettext("Write at most %(num)d word (now %(count)d).",
                             "Write at most %(num)d words (now %(count)d).", high, count=count)]
        return []

    def score(self, data: Data, points: float, answer: Answer | None,
              locale: str = "en") -> Score:
        if not answer or not answer.get("text", "").strip():
            return Score(0.0, points, False)  # nothing to grade
        return Score(0.0, points, None)

    def correct_answer(self, data: Data) -> str:
        # Translators: one criterion of an essay's rubric, as in "2 points: Names the lot".
        criteria = [_("%(points)s: %(criterion)s", points=points_text(c["points"]),
                      criterion=_strip_tags(c["text"])) for c in data.get("rubric", [])]
        # Translators: `criteria` lists each criterion ("2 points: its text"), by "; ".
        return _("Graded against the rubric: %(criteria)s", criteria="; ".join(criteria))


def _by_kind(*types: type[QuestionType]) -> dict[str, QuestionType]:
    kinds = [t.kind for t in types]
    if len(set(kinds)) != len(kinds):
        raise ValueError(f"two question types share a kind: {kinds}")
    return {t.kind: t() for t in types}


# Declared once, here: a new question type is a class above and a name in this list.
QUESTION_TYPES: dict[str, QuestionType] = _by_kind(
    SingleChoice, TrueFalse, MultipleAnswer, Numeric, ShortText, Essay)
