"""Typed fields for front matter and block settings: text in, typed value or a problem out.

Every value arrives as text (YAML is read without implicit typing), so `no`, `1:30` and `010`
stay what the author typed until a field decides what they mean.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from app.centres.rules import is_code, normal_code


# A field reports a problem by raising FieldError; the caller adds the path and line.
class FieldError(ValueError):
    """A value a field cannot take; `code` names the kind of mistake (specs.CODES)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


_DURATION_PART = re.compile(r"(\d+)\s*(h|hours?|hrs?|min|minutes?|mins?)(?![a-z])", re.I)
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_BCP47 = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$")
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "yi", "dv", "ckb"})


def suggest(word: str, options: Any) -> str:
    """`; did you mean "x"?` when one option is close to `word`, else nothing."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""


def parse_duration(text: str) -> int:
    """Minutes in `45 min`, `2 h`, `1 h 30 min`."""
    cleaned = text.strip()
    parts = list(_DURATION_PART.finditer(cleaned))
    if not parts or _DURATION_PART.sub("", cleaned).strip():
        raise FieldError(f'"{text}" is not a duration; write it like "45 min", "2 h" or '
                         '"1 h 30 min"', code="bad-duration")
    minutes = sum(int(m.group(1)) * (60 if m.group(2).lower().startswith("h") else 1)
                  for m in parts)
    if minutes <= 0:
        raise FieldError("a duration must be longer than zero", code="duration-not-positive")
    return minutes


def parse_int(text: str, *, minimum: int = 0) -> int:
    if not re.fullmatch(r"[+]?\d+", text.strip()):
        raise FieldError(f'"{text}" is not a whole number', code="not-a-whole-number")
    value = int(text)
    if value < minimum:
        raise FieldError(f"must be at least {minimum}", code="number-too-small")
    return value


def parse_number(text: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise FieldError(f'"{text}" is not a number', code="not-a-number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise FieldError(f'"{text}" is not a number', code="not-a-number")
    return value


def parse_hours(text: str) -> float:
    hours = parse_number(text)
    if hours <= 0:
        raise FieldError("credit hours must be more than zero", code="hours-not-positive")
    return hours


def parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "yes"):
        return True
    if lowered in ("false", "no"):
        return False
    raise FieldError(f'"{text}" is neither true nor false', code="not-true-or-false")


def parse_percent(text: str) -> int:
    match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*%\s*", text)
    if not match:
        raise FieldError(f'"{text}" is not a percentage; write it like "80%"',
                         code="bad-percentage")
    value = float(match.group(1))
    if not 0 <= value <= 100:
        raise FieldError(f"{text.strip()} is outside 0-100%", code="percentage-out-of-range")
    return round(value)


def check_id(text: str) -> str:
    value = text.strip()
    if not _ID.match(value):
        raise FieldError(f'"{text}" is not a valid id: use lowercase letters, digits and "-"',
                         code="bad-id")
    return value


def check_centre_code(text: str) -> str:
    """A centre's code as written in `centre:` (whether a centre has it, the import asks)."""
    value = normal_code(text)
    if not is_code(value):
        raise FieldError(f'"{text}" is not a centre code such as "HUB" or "KE-NBO": 2 to 16 '
                         'capital letters, digits and "-", starting with a letter',
                         code="bad-centre-code")
    return value


def check_language(text: str) -> str:
    value = text.strip()
    if not _BCP47.match(value):
        raise FieldError(f'"{text}" is not a BCP 47 language tag such as "en" or "pt-BR"',
                         code="bad-language-tag")
    return value


def direction_of(language: str) -> str:
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def choice(*options: str) -> Callable[[str], str]:
    def convert(text: str) -> str:
        value = text.strip()
        if value not in options:
            raise FieldError(f'"{text}" is not one of {", ".join(options)}'
                             + suggest(value, options), code="unknown-option")
        return value

    return convert


def text(value: str) -> str:
    stripped = value.strip()
    if not stripped:
        raise FieldError("must not be empty", code="empty-value")
    return stripped


# --- YAML nodes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One key of a mapping: how to read it, whether it is required, its default."""

    kind: str  # "scalar", "list" or "map"
    convert: Callable[[str], Any] | None = None
    required: bool = False
    default: Any = None
    schema: Mapping[str, Field] | None = None  # for maps
    # For lists whose entries may be more than a single value: reads one entry's node, given
    # its file line, and raises FieldError for a bad one.
    read_item: Callable[[Node, int], Any] | None = None


def scalar(convert: Callable[[str], Any] = text, *, required: bool = False,
           default: Any = None) -> Field:
    return Field("scalar", convert, required, default)


def listing(convert: Callable[[str], Any] = text) -> Field:
    return Field("list", convert, default=())


def entries(read_item: Callable[[Node, int], Any]) -> Field:
    """A list whose entries `read_item` reads from their nodes (a value or a small map)."""
    return Field("list", default=(), read_item=read_item)


def mapping(schema: Mapping[str, Field]) -> Field:
    return Field("map", schema=schema)


def line_of(node: Node) -> int:
    return node.start_mark.line + 1


class Report(Protocol):
    """Where a reader sends each problem it finds, with its line and code."""

    def __call__(self, line: int, message: str, *, code: str) -> None: ...


def read_mapping(node: Node, schema: Mapping[str, Field], report: Report, *,
                 what: str, line_offset: int = 0) -> tuple[dict[str, Any], dict[str, int]]:
    """Values of `node` typed by `schema`, and the line of each key. Problems go to `report`."""
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    if not isinstance(node, MappingNode):
        report(line_of(node) + line_offset, f"{what} must be a list of \"key: value\" lines",
               code="not-a-mapping")
        return values, lines
    for key_node, value_node in node.value:
        key = str(key_node.value)
        line = line_of(key_node) + line_offset
        field = schema.get(key)
        if field is None:
            report(line, f'unknown key "{key}" in {what}' + suggest(key, schema),
                   code="unknown-key")
            continue
        if key in lines:
            report(line, f'"{key}" is given twice in {what}', code="duplicate-key")
            continue
        lines[key] = line
        try:
            values[key] = _read_value(value_node, field, report, key, line_offset)
        except FieldError as error:
            report(line_of(value_node) + line_offset, f"{key}: {error}", code=error.code)
    for key, field in schema.items():
        if key not in values and key not in lines:
            if field.required:
                first = line_of(node) + line_offset
                report(first, f'{what} needs "{key}"', code="missing-key")
            elif field.default is not None:
                values[key] = list(field.default) if field.kind == "list" else field.default
    return values, lines


def _convert_scalar(field: Field) -> Callable[[Node, int], Any]:
    convert = field.convert
    assert convert is not None
    return lambda node, _line: convert(node.value)


def _read_value(node: Node, field: Field, report: Report, key: str, line_offset: int) -> Any:
    if field.kind == "map":
        assert field.schema is not None
        if isinstance(node, ScalarNode) and node.value == "":
            return {}
        values, _ = read_mapping(node, field.schema, report, what=f'"{key}"',
                                 line_offset=line_offset)
        return values
    if field.kind == "list":
        if isinstance(node, ScalarNode):  # `tags: vaccines` means a list of one
            items = [node] if node.value.strip() else []
        elif isinstance(node, SequenceNode):
            items = node.value
        else:
            raise FieldError("must be a list", code="not-a-list")
        if field.read_item is None and not all(isinstance(i, ScalarNode) for i in items):
            raise FieldError("each entry must be a single value", code="list-entry-not-single")
        read_item = field.read_item or _convert_scalar(field)
        result = []
        for item in items:
            line = line_of(item) + line_offset
            try:
                result.append(read_item(item, line))
            except FieldError as error:
                report(line, f"{key}: {error}", code=error.code)
        return result
    assert field.convert is not None
    if not isinstance(node, ScalarNode):
        raise FieldError("must be a single value, not a list or map", code="not-a-single-value")
    return field.convert(node.value)
