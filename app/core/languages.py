"""Language names for the tags courses are written in ("fr", "pt-BR"), from CLDR via babel."""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError
from flask import has_request_context

from app.core.i18n import current_language


def language_name(tag: str | None) -> str:
    """'French', 'Portuguese (Brazil)', in the request's interface language ('français' on a
    French page), in English outside a request; the tag itself when CLDR does not know it."""
    if not tag:
        return ""
    return _name_in(tag, current_language() if has_request_context() else "en")


@cache
def _name_in(tag: str, interface: str) -> str:
    try:
        locale = Locale.parse(tag.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return tag
    name = locale.get_display_name(interface) or tag
    return name[:1].upper() + name[1:]  # CLDR writes 'français' as inside a sentence
