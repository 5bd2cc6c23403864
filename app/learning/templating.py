"""Helpers that learning's pages (and the pages that list modules) call from templates.

Plain functions rather than Jinja macros: an outline calls them once per module, and a macro
call costs several times what these do.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask_babel import get_translations
from flask_babel import gettext as _
from markupsafe import Markup

from app.learning.rules import State


# Built once per catalog (a language's, as an app reads it): a handful of states, shown once
# per module of every outline.
@lru_cache(maxsize=32)
def _badges(_catalog: Any) -> dict[State, Markup]:
    """The badges in the request's language, whose catalog `_catalog` is."""
    return {state: Markup('<span class="state state-{}">{}</span>').format(
        state.value, str(state.label)) for state in State}


def state_badge(state: State) -> Markup:
    return _badges(get_translations())[state]


def duration(minutes: int | None) -> str:
    """'1 h 30 min', '45 min', or a dash when the module gives no duration."""
    if not minutes:
        return "—"
    if minutes < 60:
        # Translators: a duration in minutes, abbreviated ("45 min").
        return _("%(minutes)s min", minutes=minutes)
    hours, rest = divmod(minutes, 60)
    if rest:
        # Translators: a duration in hours and minutes, abbreviated ("1 h 30 min").
        return _("%(hours)s h %(minutes)s min", hours=hours, minutes=rest)
    # Translators: a duration in whole hours, abbreviated ("2 h").
    return _("%(hours)s h", hours=hours)


