"""What the pure rules of a call say is wrong: a message in plain English with its values,
and the key of what it is about. Pure: neither Flask nor the database.

The messages are marked with `N_` so that `make translations` extracts them; the page
that shows one translates it with `gettext(problem.message, **problem.values)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Problem:
    """What is wrong, with the key of the field, rule or criterion it is about ("" for the
    whole)."""

    key: str
    message: str  # English, with %(...)s placeholders
    values: Mapping[str, Any] = field(default_factory=dict)
