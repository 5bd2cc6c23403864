"""Helpers that learning's pages (and the pages that list modules) call from templates.

Plain functions rather than Jinja macros: an outline calls them once per module, and a macro
call costs several times what these do.
"""

from __future__ import annotations

from markupsafe import Markup

from app.learning.rules import State

# Built once: a handful of states, shown once per module of every outline.
_BADGES = {state: Markup('<span class="state state-{}">{}</span>').format(state.value, state.label)
           for state in State}


def state_badge(state: State) -> Markup:
    return _BADGES[state]


def duration(minutes: int | None) -> str:
    """'1 h 30 min', '45 min', or a dash when the module gives no duration."""
    if not minutes:
        return "—"
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"
