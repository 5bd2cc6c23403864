"""Language names for the tags courses are written in ("fr", "pt-BR"), from CLDR via babel."""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError


@cache
def language_name(tag: str | None) -> str:
    """'French', 'Portuguese (Brazil)'; in English for now (the interface's language), and
    the tag itself when CLDR does not know it."""
    if not tag:
        return ""
    try:
        locale = Locale.parse(tag.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return tag
    return locale.get_display_name("en") or tag
