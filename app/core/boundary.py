"""The request boundary: one commit per request, in one place, and one way to run a service
for a form or a command.

In the spirit of Indico's request handler (`indico/web/rh.py`): views and commands call
services, which flush but never commit; the boundary commits when the view returned normally
with a response that is not an error, and rolls back otherwise. It commits in `after_request`,
before the response leaves, so a commit that fails gives a 500 instead of a redirect that
claims a change the database never kept.

A refusal that must stay on record (a wrong signing password, an attempt finished at its time
limit) is an outcome the service returns after the write, never an exception: an exception
means "nothing happened", and the boundary rolls it back.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import TypeVar

import click
from flask import Flask, flash, g, request
from flask_wtf import FlaskForm
from sqlalchemy.exc import DBAPIError
from werkzeug.wrappers import Response

from app.core.db import end_request_reads, write_intent
from app.core.errors import DomainError, NotFound, PermissionDenied
from app.core.forms import attach_domain_error
from app.core.outages import database_unavailable, is_database_outage
from app.extensions import db

T = TypeVar("T")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Set by `keep_writes` for a response that reports a refusal with an error status (409, 422)
# while what the request wrote before it must stay.
_KEEP = "boundary_keep_writes"


def init_app(app: Flask) -> None:
    @app.before_request
    def _declare_write_intent() -> None:
        write_intent.set(request.method not in SAFE_METHODS)

    # Registered after the other `after_request` hooks, so it runs before them (Flask runs
    # them in reverse): a failed commit is then a 500 that they see like any other.
    app.after_request(_commit_or_roll_back)

    @app.teardown_request
    def _end_request(error: BaseException | None) -> None:
        end_request_reads()
        if error is not None:
            # An exception escaped the view (and, under TESTING, the error pages): nothing
            # it wrote may outlive it in a session that the app context keeps.
            db.session.rollback()
        write_intent.set(False)


def keep_writes() -> None:
    """Commit this request's writes even though its response is an error status: the answers
    saved before one was refused (422), an attempt finished at its time limit (409)."""
    setattr(g, _KEEP, True)


def _commit_or_roll_back(response: Response) -> Response:
    if response.status_code >= 400 and not g.get(_KEEP, False):
        with suppress(DBAPIError):  # a connection already lost has nothing to roll back
            db.session.rollback()
    elif request.method not in SAFE_METHODS or write_intent.get():
        # A safe request that did not declare a write (`begin_write`) has nothing to commit;
        # its read transaction ends with the session, as it always did.
        try:
            db.session.commit()
        except DBAPIError as error:
            if not is_database_outage(error):
                raise
            # Lost between the view and its commit: nothing was kept, and the answer says so
            # (Flask would log a traceback for an exception raised here).
            return database_unavailable(error)
    return response


def _refuse(form: FlaskForm | None, error: DomainError) -> None:
    if isinstance(error, PermissionDenied | NotFound):
        raise error  # the error pages answer 403 and 404
    db.session.rollback()
    if form is None:
        flash(error.message, "error")
    else:
        attach_domain_error(form, error)


def run_service(form: FlaskForm | None, action: Callable[[], T]) -> T | None:
    """Run one service call for a form: its result, or None when a domain rule refused it.
    On a refusal the transaction is rolled back and the reason shown next to the form's
    field (or above the form; flashed when there is no form). PermissionDenied and NotFound
    are not refusals of the form: they reach the error pages as 403 and 404."""
    try:
        return action()
    except DomainError as error:
        _refuse(form, error)
        return None


def ran_service(form: FlaskForm | None, action: Callable[[], object]) -> bool:
    """`run_service` for a service that returns nothing: whether it ran."""
    try:
        action()
    except DomainError as error:
        _refuse(form, error)
        return False
    return True


def run_command(action: Callable[[], T]) -> T:
    """Run one service call for a CLI command and commit it; on a domain error roll back,
    print the reason and exit with status 1."""
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    return result
