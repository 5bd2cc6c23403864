"""Helpers that learning's pages (and the pages that list modules) call from templates.

Plain functions rather than Jinja macros: an outline calls them once per module, and a macro
call costs several times what these do.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from app.learning.rules import State

_BADGES = {state: Markup(f'<span class="state state-{state.value}">{escape(state.label)}</span>')
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
