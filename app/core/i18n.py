"""The interface's languages: which one a request is shown in, and which way it reads.

The language comes from the person's profile, else from what their browser asks for
(`Accept-Language`), else the site's `DEFAULT_LOCALE`. A visitor's choice from the switcher
is kept in their session (and, once logged in, on their profile). Catalogs live in
`app/translations/` (docs/translating.md says how to update them).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.support import NullTranslations
from flask import Flask, has_request_context, request, session
from flask_babel import Babel, get_locale, get_translations, refresh
from jinja2 import pass_context
from jinja2.runtime import Context

# The interface's languages, in the order the switcher lists them. English is the source.
LANGUAGES = ("en", "fr", "es", "pt", "ar", "ko")
RIGHT_TO_LEFT = frozenset({"ar"})
SESSION_KEY = "language"

babel = Babel()


def is_language(tag: str | None) -> bool:
    return tag in LANGUAGES


def text_direction(tag: str) -> str:
    """'rtl' for a language written right to left, else 'ltr'."""
    return "rtl" if tag.split("-")[0].split("_")[0] in RIGHT_TO_LEFT else "ltr"


def chosen_language() -> str | None:
    """The language this request's person chose: their profile's, else the switcher's."""
    from flask_login import current_user

    if current_user and current_user.is_authenticated and is_language(current_user.language):
        return str(current_user.language)
    tag = session.get(SESSION_KEY)
    return tag if is_language(tag) else None


def select_locale() -> str:
    """Flask-Babel's locale selector: the chosen language, the browser's, the site's."""
    from flask import current_app

    if not has_request_context():  # a page rendered for a file or an e-mail: the site's
        return str(current_app.config["DEFAULT_LOCALE"])
    return (chosen_language()
            or request.accept_languages.best_match(LANGUAGES)
            or current_app.config["DEFAULT_LOCALE"])


def current_language() -> str:
    """The tag of the language this request is shown in ('fr'); 'en' outside a request."""
    locale = get_locale()
    return locale.language if locale is not None else "en"


@cache
def autonym(tag: str) -> str:
    """A language's name in itself, as the switcher and the links to a course's versions
    list it: 'Français', 'العربية', 'Português (Brasil)'; the tag when CLDR does not know it."""
    try:
        locale = Locale.parse(tag.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return tag
    name = locale.get_display_name(locale) or tag
    return name[:1].upper() + name[1:]


def init_app(app: Flask) -> None:
    if app.config["DEFAULT_LOCALE"] not in LANGUAGES:
        from app.config import ConfigError

        raise ConfigError(f"DEFAULT_LOCALE must be one of {', '.join(LANGUAGES)}, "
                          f"not {app.config['DEFAULT_LOCALE']!r}")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES",
                          str(Path(app.root_path) / "translations"))
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel keeps the locale on `g`, which lives as long as the app context: one
    # request's in a server, but several requests' under one test or CLI app context.
    app.before_request(refresh)

    @app.context_processor
    def _page_language() -> dict[str, object]:
        tag = current_language()
        return {"page_lang": tag, "page_dir": text_direction(tag),
                PAGE_TRANSLATIONS: get_translations()}

    # After Babel's own: the templates' `_()` and `ngettext()` read the catalog the render
    # was given (docs/performance.md, "The tricks").
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_page_gettext, ngettext=_page_ngettext, pgettext=_page_pgettext,
        npgettext=_page_npgettext, newstyle=True)

    app.jinja_env.globals.update(interface_languages=LANGUAGES, autonym=autonym)


# The catalog of the language a page is rendered in, looked up once per render by the
# context processor above. Flask-Babel's own template callables look it up again for every
# string (about ten context-local lookups each; a lesson page shows two dozen strings). A
# template rendered without Flask's context processors falls back to Flask-Babel's lookup; a
# render inside `force_locale` (an e-mail in its recipient's language) gets that language's,
# as the processor runs inside it.
PAGE_TRANSLATIONS = "_page_translations"


def _catalog(context: Context) -> NullTranslations:
    translations = context.get(PAGE_TRANSLATIONS)
    return translations if translations is not None else get_translations()


@pass_context
def _page_gettext(context: Context, string: str) -> str:
    return _catalog(context).ugettext(string)


@pass_context
def _page_ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return _catalog(context).ungettext(singular, plural, n)


@pass_context
def _page_pgettext(context: Context, message_context: str, string: str) -> str:
    return _catalog(context).upgettext(message_context, string)


@pass_context
def _page_npgettext(context: Context, message_context: str, singular: str, plural: str,
                    n: int) -> str:
    return _catalog(context).unpgettext(message_context, singular, plural, n)
