"""Which language version of a course a page shows a reader, and the links to the others.

The version asked for with `?version=fr` (and then remembered for that course in the
session), else the one remembered, else the interface's language, when the module has a
version in it; else the course's own language. The choice itself is the pure
`content.versions.pick_version`; this module reads the request and the session for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import request, session, url_for

from app.content.versions import pick_version, same_language
from app.core.i18n import autonym, current_language
from app.learning.outline import CourseOutline

SESSION_KEY = "versions"  # {course id: the tag of the version last asked for}


def shown_version(course: CourseOutline, languages: Sequence[str]) -> str:
    """The tag of the version to show of a page whose versions are `languages` (the
    course's own first); remembers a `?version=` that names one of them."""
    asked = request.args.get("version", "").strip()[:35] or None
    remembered = session.get(SESSION_KEY, {}).get(course.slug)
    shown = pick_version(languages[1:], course.own_language, asked=asked,
                         remembered=remembered, interface=current_language())
    if asked and shown != remembered and (
            same_language(asked, shown) or asked.split("-")[0].lower() == shown.split("-")[0]):
        session[SESSION_KEY] = {**session.get(SESSION_KEY, {}), course.slug: shown}
    return shown


def listed_version(course_slug: str, own: str, languages: Sequence[str]) -> str:
    """The version a list of courses names a course in: the one remembered for it, else the
    interface's, else its own (`languages` are its versions). Remembers nothing."""
    remembered = session.get(SESSION_KEY, {}).get(course_slug)
    return pick_version(languages, own, remembered=remembered, interface=current_language())


@dataclass(frozen=True)
class VersionLink:
    tag: str
    name: str  # in the language itself: "Français"
    url: str


def other_versions(languages: Sequence[str], shown: str, endpoint: str,
                   **values: Any) -> list[VersionLink]:
    """Links to the page in each of its other versions ("Also in: English, Français")."""
    if len(languages) < 2:
        return []
    return [VersionLink(tag, autonym(tag), url_for(endpoint, **{**values, "version": tag}))
            for tag in languages if tag != shown]
