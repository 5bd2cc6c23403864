"""The typed fields of a call's application form: a registry of field kinds, each checking a
field's definition (for the call's author) and cleaning an applicant's answer. Pure: neither
Flask nor the database.

A form is a list of field definitions, each a dict:

    {"key": "motivation", "kind": "long_text", "label": "Why this training?",
     "help": "", "required": true, "max_words": 300, "min_words": 50}

Every kind takes key (a-z, 0-9 and _, up to 40), label, help and required; the options
each kind adds are in its `options`. Messages are `Problem`s (problems.py), translated where
they are shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, ClassVar

from app.calls.problems import N_, Problem

KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_FIELDS = 40
MAX_FILE_MB = 20  # the most a file field may allow
MAX_TEXT = 500  # a text field's longest answer when it sets none
MAX_LONG_TEXT_WORDS = 5000


def _int_option(definition: Mapping[str, Any], name: str, *, low: int, high: int,
                problems: list[Problem]) -> int | None:
    value = definition.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.append(Problem(str(definition.get("key", "")),
                                N_("%(option)s must be a whole number from %(low)s to %(high)s."),
                                {"option": name, "low": low, "high": high}))
        return None
    return value


class FieldKind:
    """One kind of field. `definition_problems` checks what an author wrote; `clean` turns
    what an applicant sent into the stored answer, or a Problem."""

    kind: ClassVar[str]
    options: ClassVar[tuple[str, ...]] = ()
    is_file: ClassVar[bool] = False

    def definition_problems(self, definition: Mapping[str, Any]) -> list[Problem]:
        return []

    def clean(self, definition: Mapping[str, Any], raw: Any) -> tuple[Any, Problem | None]:
        """(the answer to store, None) or (None, the problem). `raw` is what the form
        sent: a string, or a list of strings for a multiple choice. An empty answer is
        None, and `missing` says whether that matters."""
        raise NotImplementedError


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, list):
        raw = raw[0] if raw else ""
    return str(raw).replace("\r\n", "\n").strip()


def _word_count(text: str) -> int:
    return len(text.split())


class TextField(FieldKind):
    kind = "text"
    options = ("max_length",)

    def definition_problems(self, definition: Mapping[str, Any]) -> list[Problem]:
        problems: list[Problem] = []
        _int_option(definition, "max_length", low=1, high=2000, problems=problems)
        return problems

    def clean(self, definition: Mapping[str, Any], raw: Any) -> tuple[Any, Problem | None]:
        text = " ".join(_text(raw).split())
        limit = definition.get("max_length") or MAX_TEXT
        if len(text) > limit:
            return None, Problem(definition["key"], N_("At most %(limit)s characters, please "
                                 "(this has %(count)s)."), {"limit": limit, "count": len(text)})
        return text or None, None


class LongTextField(FieldKind):
    kind = "long_text"
    options = ("min_words", "max_words")

    def definition_problems(self, definition: Mapping[str, Any]) -> list[Problem]:
        problems: list[Problem] = []
        low = _int_option(definition, "min_words", low=1, high=MAX_LONG_TEXT_WORDS,
                          problems=problems)
        high = _int_option(definition, "max_words", low=1, high=MAX_LONG_TEXT_WORDS,
                           problems=problems)
        if low is not None and high is not None and low > high:
            problems.append(Problem(definition.get("key", ""),
                                    N_("The least number of words is more than the most.")))
        return problems

    def clean(self, definition: Mapping[str, Any], raw: Any) -> tuple[Any, Problem | None]:
        text = _text(raw)
        words = _word_count(text)
        high = definition.get("max_words") or MAX_LONG_TEXT_WORDS
        low = definition.get("min_words")
        if words > high:
            return None, Problem(definition["key"], N_("At most %(limit)s words, please (this "
                                 "has %(count)s)."), {"limit": high, "count": words})
        if text and low and words < low:
            return None, Problem(definition["key"], N_("At least %(limit)s words, please (this "
                                 "has %(count)s)."), {"limit": low, "count": words})
        return text or None, None


class ChoiceField(FieldKind):
    """One of the listed options, or several where `multiple` is true."""

    kind = "choice"
    options = ("choices", "multiple")

    def definition_problems(self, definition: Mapping[str, Any]) -> list[Problem]:
        choices = definition.get("choices")
        key = definition.get("key", "")
        if (not isinstance(choices, list) or len(choices) < 2
                or not all(isinstance(c, str) and c.strip() for c in choices)):
            return [Problem(key, N_("A choice needs at least two options."))]
        if len({c.strip() for c in choices}) != len(choices):
            return [Problem(key, N_("Each option must differ from the others."))]
        return []

    def clean(self, definition: Mapping[str, Any], raw: Any) -> tuple[Any, Problem | None]:
        picked = [str(value).strip() for value in (raw if isinstance(raw, list) else [raw])
                  if value is not None and str(value).strip()]
        unknown = [value for value in picked if value not in definition["choices"]]
        if unknown:
            return None, Problem(definition["key"], N_("Pick one of the options listed."))
        if definition.get("multiple"):
            return (sorted(set(picked), key=definition["choices"].index) or None), None
        if len(picked) > 1:
            return None, Problem(definition["key"], N_("Pick only one option."))
        return (picked[0] if picked else None), None


class CountryField(FieldKind):
    """An ISO 3166-1 alpha-2 code; `known` is how the caller tells a code from nonsense."""

    kind = "country"

    def __init__(self, known: Any = None) -> None:
        self.known = known or (lambda code: bool(re.fullmatch(r"[A-Z]{2}", code)))

    def clean(self, definition: Mapping[str, Any], raw: Any) -> tuple[Any, Problem | None]:
        code = _text(raw).upper()
        if code and not self.known(code):
            return None, Problem(definition["key"], N_("Pick a country from the list."))
        return code or None, None


class DateField(FieldKind):
    kind = "date"

    def clean(self, definition: Mapping[str, Any], raw: Any) -> tuple[Any, Problem | None]:
        text = _text(raw)
        if not text:
            return None, None
        try:
            return date.fromisoformat(text).isoformat(), None
        except ValueError:
            return None, Problem(definition["key"], N_("Give the date as year-month-day, "
                                 "for example 2027-03-15."))


class NumberField(FieldKind):
    kind = "number"
    options = ("min", "max", "whole")

    def definition_problems(self, definition: Mapping[str, Any]) -> list[Problem]:
        low, high = definition.get("min"), definition.get("max")
        for value in (low, high):
            if value is not None and (isinstance(value, bool)
                                      or not isinstance(value, (int, float))):
                return [Problem(definition.get("key", ""), N_("min and max must be numbers."))]
        if low is not None and high is not None and low > high:
            return [Problem(definition.get("key", ""), N_("min is more than max."))]
        return []

    def clean(self, definition: Mapping[str, Any], raw: Any) -> tuple[Any, Problem | None]:
        text = _text(raw).replace(",", ".")
        if not text:
            return None, None
        try:
            number = float(text)
        except ValueError:
            return None, Problem(definition["key"], N_("Give a number."))
        if number != number or number in (float("inf"), float("-inf")):
            return None, Problem(definition["key"], N_("Give a number."))
        if definition.get("whole") and not number.is_integer():
            return None, Problem(definition["key"], N_("Give a whole number."))
        low, high = definition.get("min"), definition.get("max")
        if (low is not None and number < low) or (high is not None and number > high):
            return None, Problem(definition["key"], N_("Give a number from %(low)s to %(high)s."),
                                 {"low": low if low is not None else "",
                                  "high": high if high is not None else ""})
        return (int(number) if number.is_integer() else number), None


class FileField(FieldKind):
    """A PDF document. The upload itself is checked by the applying feature (magic bytes,
    parsing, no active content, `max_mb`); the answer is the stored ApplicationFile."""

    kind = "file"
    options = ("max_mb",)
    is_file = True

    def definition_problems(self, definition: Mapping[str, Any]) -> list[Problem]:
        problems: list[Problem] = []
        _int_option(definition, "max_mb", low=1, high=MAX_FILE_MB, problems=problems)
        return problems

    def clean(self, definition: Mapping[str, Any], raw: Any) -> tuple[Any, Problem | None]:
        return None, None  # never an answer: a file is a row of its own

    @staticmethod
    def max_bytes(definition: Mapping[str, Any]) -> int:
        return int(definition.get("max_mb") or 5) * 1024 * 1024


BASE_KEYS = ("key", "kind", "label", "help", "required")


class FieldKinds:
    """The field kinds by their stable name."""

    def __init__(self, kinds: Sequence[FieldKind]) -> None:
        self._kinds = {kind.kind: kind for kind in kinds}

    def names(self) -> tuple[str, ...]:
        return tuple(self._kinds)

    def get(self, name: str) -> FieldKind | None:
        return self._kinds.get(name)

    def form_problems(self, form: Any) -> list[Problem]:
        """Everything wrong with a form's definition, all at once."""
        if not isinstance(form, list):
            return [Problem("", N_("The form must be a list of fields."))]
        if len(form) > MAX_FIELDS:
            return [Problem("", N_("A form has at most %(limit)s fields."), {"limit": MAX_FIELDS})]
        problems: list[Problem] = []
        seen: set[str] = set()
        for definition in form:
            if not isinstance(definition, dict):
                problems.append(Problem("", N_("Each field must be a mapping.")))
                continue
            key = definition.get("key")
            if not isinstance(key, str) or not KEY.match(key):
                problems.append(Problem(str(key or ""), N_("A field's key is 1 to 40 lower-case "
                                        "letters, digits and _, starting with a letter.")))
                continue
            if key in seen:
                problems.append(Problem(key, N_("Two fields have the key %(key)s."), {"key": key}))
            seen.add(key)
            kind = self.get(str(definition.get("kind")))
            if kind is None:
                problems.append(Problem(key, N_("Unknown kind of field %(kind)s; the kinds are "
                                        "%(kinds)s."), {"kind": definition.get("kind"),
                                                       "kinds": ", ".join(self.names())}))
                continue
            label = definition.get("label")
            if not isinstance(label, str) or not label.strip() or len(label) > 300:
                problems.append(Problem(key, N_("A field needs a label of up to 300 characters.")))
            unknown = set(definition) - set(BASE_KEYS) - set(kind.options)
            if unknown:
                problems.append(Problem(key, N_("%(kind)s fields do not take %(options)s."),
                                        {"kind": kind.kind,
                                         "options": ", ".join(sorted(unknown))}))
            problems.extend(kind.definition_problems(definition))
        return problems

    def clean_answers(self, form: Sequence[Mapping[str, Any]], raw: Mapping[str, Any]
                      ) -> tuple[dict[str, Any], list[Problem]]:
        """The answers to store for the fields the applicant sent (a field not in `raw` is
        left out, so an autosave of part of the form keeps the rest), and every problem."""
        answers: dict[str, Any] = {}
        problems: list[Problem] = []
        for definition in form:
            kind = self._kinds[definition["kind"]]
            if kind.is_file or definition["key"] not in raw:
                continue
            value, problem = kind.clean(definition, raw[definition["key"]])
            if problem is not None:
                problems.append(problem)
            else:
                answers[definition["key"]] = value
        return answers, problems

    def missing(self, form: Sequence[Mapping[str, Any]], answers: Mapping[str, Any],
                files: set[str]) -> list[Mapping[str, Any]]:
        """The required fields without an answer (or, for a file field, a file), in form
        order: the applicant's checklist."""
        return [definition for definition in form if definition.get("required") and (
            definition["key"] not in files if self._kinds[definition["kind"]].is_file
            else answers.get(definition["key"]) in (None, "", []))]


def field_kinds(known_country: Any = None) -> FieldKinds:
    """Every kind of field, with the country check the caller trusts
    (app.core.countries.is_country_code in the app)."""
    return FieldKinds([TextField(), LongTextField(), ChoiceField(), CountryField(known_country),
                       DateField(), NumberField(), FileField()])
