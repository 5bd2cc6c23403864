"""Kinds of notification: what each feature tells people, and how it may reach them.

Each feature registers its kinds in its own `init_app` (`KINDS.register(app, key, Kind(...))`).
A kind says who it is for, how it reaches a person who never chose (its default mode), and
whether it is a security message, which always goes by e-mail whatever the preference says:
someone who turned off "password changed" could not learn that a thief changed it.
The rules below are pure: they import neither Flask nor the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from app.core.registry import Registry


class Mode(StrEnum):
    """How a kind reaches its person: an e-mail at once, in the morning's digest, or only as
    the in-app entry (every notification makes one)."""

    IMMEDIATELY = "immediately"
    DIGEST = "digest"
    OFF = "off"


class Audience(StrEnum):
    LEARNER = "learner"
    STAFF = "staff"
    EVERYONE = "everyone"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # a lazy string, translated where it is shown
    audience: Audience
    default: Mode = Mode.IMMEDIATELY
    security: bool = False

    def mode_for(self, chosen: Mode | None) -> Mode:
        """The mode a person with this choice (None: never chose) gets for this kind."""
        if self.security:
            return Mode.IMMEDIATELY
        return chosen if chosen is not None else self.default


KINDS: Registry[Kind] = Registry("notification kinds")


def kinds_for(kinds: Iterable[Kind], *, staff: bool) -> list[Kind]:
    """The kinds a person's preferences page lists: staff kinds for staff only."""
    return [kind for kind in kinds if staff or kind.audience is not Audience.STAFF]


def modes_for(kinds: Iterable[Kind], chosen: Mapping[str, Mode]) -> dict[str, Mode]:
    """Each kind's mode for a person, from the choices they made (kind key -> mode)."""
    return {kind.key: kind.mode_for(chosen.get(kind.key)) for kind in kinds}


def parse_mode(value: str | None) -> Mode | None:
    """A mode from a form's value, or None for anything else."""
    try:
        return Mode(value) if value is not None else None
    except ValueError:
        return None


def mode_field(key: str) -> str:
    """The preferences form's field for a kind: 'mode_enrolment__decided'."""
    return "mode_" + key.replace(".", "__")
