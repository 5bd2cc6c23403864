"""A dependency that cannot be reached for a moment: what the node says, and how often it
says it in the log.

- **The database.** A PostgreSQL restart or a lost network answers every request with a
  connection error for as long as it lasts. Such a request gets a calm 503 with
  `Retry-After` (a page in the visitor's language, or JSON for a script such as the
  autosave) and the log gets one line per `DATABASE_LOG_EVERY` seconds, not a traceback per
  request. Only a failure to *reach* the database counts (`is_database_outage`): a
  programming error or a refused statement stays a 500 with its traceback. The page is
  drawn without a statement: the visitor is shown as logged out for this one page (their
  session is untouched), since loading their account would fail again. The pool needs no
  restart: SQLAlchemy throws away every pooled connection when one is found dead, and
  `pool_pre_ping` (app/config.py) tests each before a request uses it.
- **The rate-limit store** (Redis). Flask-Limiter counts in this process's memory while the
  store does not answer, and checks it again from time to time (app/config.py,
  `RATELIMIT_IN_MEMORY_FALLBACK_ENABLED`); `quiet_limiter_log` keeps its warnings to one per
  `LIMITER_LOG_EVERY` seconds, however many requests hit a limit meanwhile.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import nullcontext, suppress

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import force_locale, refresh
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.wrappers import Response

from app.core.headers import NO_STORE

RETRY_AFTER_SECONDS = 5
DATABASE_LOG_EVERY = 10.0  # seconds: a 7-second PostgreSQL restart logs one line per worker
LIMITER_LOG_EVERY = 60.0
_THROTTLE = "trainhub.database_outage_log"
# SQLSTATEs of a server that went away or is not taking connections: class 08 (connection
# exception), and an administrator's or a crash's shutdown, or a server starting up (57P0x).
_OUTAGE_STATES = ("57P01", "57P02", "57P03")

UNAVAILABLE_TITLE = _l("Back in a moment")
UNAVAILABLE_MESSAGE = _l("TrainHub cannot reach its database for a moment. Your saved work is "
                         "safe. Try again in a few seconds.")


class Throttle:
    """Whether to speak now: at most once every `every` seconds, shared by the threads of a
    process. `ready()` is None to stay quiet, or how many times it kept quiet since it last
    spoke."""

    def __init__(self, every: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.every = every
        self._clock = clock
        self._lock = threading.Lock()
        self._last: float | None = None
        self._held = 0

    def ready(self) -> int | None:
        with self._lock:
            moment = self._clock()
            if self._last is not None and moment - self._last < self.every:
                self._held += 1
                return None
            held, self._held, self._last = self._held, 0, moment
            return held


class OncePerInterval(logging.Filter):
    """Lets a logger's warnings and errors through once per interval for each message (its
    text before the arguments), noting how many were left out; quieter records pass."""

    def __init__(self, every: float, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.every = every
        self._clock = clock
        self._throttles: dict[str, Throttle] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        key = str(record.msg)
        with self._lock:
            throttle = self._throttles.setdefault(key, Throttle(self.every, self._clock))
        held = throttle.ready()
        if held is None:
            return False
        if held:
            record.msg = f"{key} ({held} more like it not logged in the last {self.every:g} s)"
        return True


def quiet_limiter_log(logger: logging.Logger, every: float = LIMITER_LOG_EVERY) -> None:
    """Keep Flask-Limiter's warnings (the store unreachable, an error it swallowed) to one
    per `every` seconds. Its logger is the process's: the app made last sets the filter."""
    for old in [f for f in logger.filters if isinstance(f, OncePerInterval)]:
        logger.removeFilter(old)
    logger.addFilter(OncePerInterval(every))


def is_database_outage(error: BaseException) -> bool:
    """Whether `error` says the database could not be reached (a connection refused, lost or
    closed by a server shutting down), rather than that a statement failed."""
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    if error.statement is None:
        return True  # raised while connecting: no statement ran
    state = str(getattr(error.orig, "sqlstate", None) or "")
    return state.startswith("08") or state in _OUTAGE_STATES


def _log(app: Flask, error: DBAPIError) -> None:
    throttle: Throttle = app.extensions.setdefault(_THROTTLE, Throttle(DATABASE_LOG_EVERY))
    held = throttle.ready()
    if held is None:
        return
    reason = (str(error.orig).strip().splitlines() or [""])[0]
    since = f"; {held} more requests answered 503 since the last line" if held else ""
    app.logger.warning("The database cannot be reached (%s: %s): answering 503 until it "
                       "answers again%s", type(error.orig).__name__, reason, since)


def _language_without_database() -> str | None:
    """The profile's language of a visitor whose account this request had loaded already,
    read from what is loaded (never a statement); None otherwise."""
    user = g.get("_login_user")
    state = inspect(user, raiseerr=False) if user is not None else None
    if state is None:
        return None
    language = state.dict.get("language")
    return str(language) if language else None


def _wants_json() -> bool:
    return (request.accept_mimetypes.best == "application/json" or request.is_json
            or request.headers.get("X-Requested-With") == "XMLHttpRequest")


def database_unavailable(error: DBAPIError) -> Response:
    """The 503 for a request that could not reach the database: logged once in a while,
    drawn without a statement."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    _log(app, error)
    from app.extensions import db

    language = _language_without_database()  # before the rollback expires what is loaded
    with suppress(SQLAlchemyError):  # the connection is gone: the pool has dropped it
        db.session.rollback()
    # The page must not load the account (a statement): this one page shows the visitor
    # as logged out. Their session cookie is left as it is.
    g._login_user = app.login_manager.anonymous_user()
    refresh()
    with force_locale(language) if language else nullcontext():
        response: Response
        if _wants_json():
            response = jsonify(error=str(UNAVAILABLE_MESSAGE), unavailable="database",
                               retry_after=RETRY_AFTER_SECONDS)
        else:
            response = Response(render_template(
                "errors/error.html", code=503, title=UNAVAILABLE_TITLE,
                message=UNAVAILABLE_MESSAGE, detail=None, database_unavailable=True),
                mimetype="text/html")
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = NO_STORE
    return response
