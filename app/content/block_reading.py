"""What the quiz and checklist block readers share: the renderer they are handed for block
text, the "key: value" setting line, and settings typed by their converters."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from app.content.fields import FieldError, Report


@dataclass(frozen=True)
class Inline:
    """How block text becomes HTML: `inline` for one-liners, `block` for prompts. Both take
    the text and the file line it starts on (for errors about what it contains)."""

    inline: Callable[[str, int], str]
    block: Callable[[str, int], str]


# A setting is a lowercase word, a colon, then a space or the end of the line (so that a
# line starting with "https://..." stays text).
SETTING = re.compile(r"^([a-z][a-z_]*)\s*:(?:\s+(.*))?$")


def typed_settings(settings: dict[str, tuple[str, int]],
                   converters: dict[str, Callable[[str], object]],
                   report: Report) -> dict[str, object]:
    typed: dict[str, object] = {}
    for key, (value, line) in settings.items():
        try:
            typed[key] = converters[key](value)
        except FieldError as error:
            report(line, f"{key}: {error}", code=error.code)
    return typed
