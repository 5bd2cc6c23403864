"""Domain errors raised by services, and the error pages the web shows for HTTP errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from flask import Flask, abort, render_template
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

T = TypeVar("T")


def found_or_404(found: T | None) -> T:
    """What a page's statement found, or the 404 page: Flask-SQLAlchemy's `get_or_404`
    for the rows and views that a feature's `queries.py` reads without the ORM."""
    if found is None:
        abort(404)
    return found


class DomainError(Exception):
    """A rule of the domain refused the action. `field` names the form field it concerns.
    The message is shown to people: a lazy string (`_l`) is given, and read as text in the
    language of the request that reads it (a flash, a form's error, a JSON answer)."""

    def __init__(self, message: str | LazyString, field: str | None = None) -> None:
        super().__init__(message)
        self._message = message
        self.field = field

    @property
    def message(self) -> str:
        return str(self._message)


class ValidationError(DomainError):
    """The input breaks a rule (weak password, e-mail taken, ...)."""


class ValidationErrors(ValidationError):
    """Several inputs break rules at once: each error keeps its own field, so that a form
    shows every problem in one answer instead of one per submit."""

    def __init__(self, errors: Sequence[ValidationError]) -> None:
        super().__init__(" ".join(error.message for error in errors))
        self.errors = list(errors)


def refuse_all(errors: Sequence[ValidationError]) -> None:
    """Raise the errors found, if any: the one alone, or all of them together."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ValidationErrors(errors)


class PermissionDenied(DomainError):
    """The actor may not do this to this object."""


class NotFound(DomainError):
    """The object does not exist (or the actor may not know that it does)."""


# What a person is told for each HTTP error, in words rather than codes.
ERROR_PAGES: dict[int, tuple[LazyString, LazyString]] = {
    400: (_l("Bad request"),
          _l("The request could not be understood. If you submitted a form, reload the page "
             "and try again.")),
    403: (_l("Not allowed"), _l("Your account does not have access to this page.")),
    404: (_l("Page not found"),
          _l("There is no page at this address. Check the link, or start again from the home "
             "page.")),
    405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
    413: (_l("Too large"),
          _l("The file or form sent is larger than TrainHub accepts (25 MB). Nothing was "
             "stored.")),
    429: (_l("Too many requests"),
          _l("Too many attempts in a short time. Please wait a few minutes and try again.")),
    500: (_l("Something went wrong"),
          _l("The server could not finish your request. Nothing you saved before has been "
             "lost; please try again in a moment.")),
}


# Flask-WTF's reasons for refusing a form (a 400 page's detail), in the page's language.
CSRF_REASONS: dict[str, LazyString] = {
    "The CSRF token is missing.": _l("The CSRF token is missing."),
    "The CSRF session token is missing.": _l("The CSRF session token is missing."),
    "The CSRF token has expired.": _l("The CSRF token has expired."),
    "The CSRF token is invalid.": _l("The CSRF token is invalid."),
    "The CSRF tokens do not match.": _l("The CSRF tokens do not match."),
    "The referrer header is missing.": _l("The referrer header is missing."),
    "The referrer does not match the host.": _l("The referrer does not match the host."),
}


def render_error(code: int, detail: str | LazyString | None = None) -> tuple[str, int]:
    title, message = ERROR_PAGES.get(code, ERROR_PAGES[500])
    return render_template("errors/error.html", code=code, title=title,
                           message=message, detail=detail), code


def register_error_handlers(app: Flask) -> None:
    from app.core.outages import database_unavailable, is_database_outage

    def handle_http(error: HTTPException
                    ) -> tuple[str, int, list[tuple[str, str]]] | HTTPException | Response:
        original = getattr(error, "original_exception", None)
        if (isinstance(error, InternalServerError) and isinstance(original, DBAPIError)
                and is_database_outage(original)):
            return database_unavailable(original)  # raised outside the view's error handling
        code = error.code or 500
        if code not in ERROR_PAGES:
            return error
        # CSRF failures and rate limits carry a useful reason; other descriptions are generic.
        reason = error.description if code in (400, 429) else None
        detail = CSRF_REASONS.get(reason, reason) if reason else None
        body, code = render_error(code, detail)
        # The error's own headers stay: a 405's Allow (which methods the address takes), a
        # 401's WWW-Authenticate. The page is ours, so its type is too.
        headers = [(name, value) for name, value in error.get_headers()
                   if name.lower() != "content-type"]
        return body, code, headers

    def handle_unexpected(error: Exception) -> tuple[str, int]:
        app.logger.exception("Unhandled error", exc_info=error)
        return render_error(500)

    def handle_database(error: DBAPIError) -> tuple[str, int] | Response:
        """The database out of reach: a calm 503 (app/core/outages.py). Any other database
        error is a bug or a refusal: a 500 with its traceback, as before."""
        if is_database_outage(error):
            return database_unavailable(error)
        return handle_unexpected(error)

    # A service refused for a reason that is not the form's: the object is not the actor's
    # to touch, or not there at all. The page says so in words, not with the service's text.
    app.register_error_handler(PermissionDenied, lambda _error: render_error(403))
    app.register_error_handler(NotFound, lambda _error: render_error(404))
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(DBAPIError, handle_database)
    app.register_error_handler(Exception, handle_unexpected)
