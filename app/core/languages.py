"""Language names for the tags courses are written in ("fr", "pt-BR"), from CLDR via babel,
in the interface's language."""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError
from flask import has_request_context

from app.core.i18n import current_language


def language_name(tag: str | None, locale: str | None = None) -> str:
    """'French', 'Portuguese (Brazil)' in `locale`, else in the request's interface language
    ('Français' on a French page; English outside a request); the tag itself when CLDR does
    not know it."""
    if not tag:
        return ""
    if locale is None:
        locale = current_language() if has_request_context() else "en"
    return _name_in(tag, locale)


@cache
def _name_in(tag: str, interface: str) -> str:
    try:
        language = Locale.parse(tag.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return tag
    name = language.get_display_name(interface.replace("-", "_")) or tag
    return name[:1].upper() + name[1:]  # CLDR writes 'français' as inside a sentence
