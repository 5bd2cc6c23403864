"""A database out of reach answers a calm 503 with Retry-After, logged once in a while; any
other database error stays a 500 with its traceback; the pool recovers by itself."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from flask import g
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError, ProgrammingError

from app.core.outages import OncePerInterval, Throttle, is_database_outage
from app.extensions import db
from tests.conftest import login

UNREACHABLE = "postgresql+psycopg://trainhub@127.0.0.1:1/trainhub"  # a closed port
CALM = ("TrainHub cannot reach its database for a moment. Your saved work is safe. Try again "
        "in a few seconds.")
CALM_FR = "TrainHub ne parvient pas à joindre sa base de données"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _lost(statement: str | None = "SELECT 1") -> OperationalError:
    return OperationalError(statement, {}, Exception("server closed the connection "
                                                     "unexpectedly"), connection_invalidated=True)


@contextmanager
def connection_lost(after: int = 0) -> Iterator[None]:
    """Every statement on the app's engine, after the first `after`, fails as on a connection
    that the server closed."""
    seen = [0]

    def fail(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen[0] += 1
        if seen[0] > after:
            raise _lost(statement)

    sa.event.listen(db.engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", fail)


def outage_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


# --- the rules ------------------------------------------------------------------------------

def test_throttle_speaks_once_per_interval_and_counts_the_rest() -> None:
    clock = Clock()
    throttle = Throttle(10, clock)
    assert throttle.ready() == 0
    assert [throttle.ready() for _ in range(5)] == [None] * 5
    clock.now += 10
    assert throttle.ready() == 5
    assert throttle.ready() is None


def test_the_log_filter_lets_one_warning_a_minute_through_per_message() -> None:
    clock = Clock()
    quiet = OncePerInterval(60, clock)

    def record(msg: str, level: int = logging.WARNING) -> logging.LogRecord:
        return logging.LogRecord("flask-limiter", level, __file__, 1, msg, None, None)

    assert [quiet.filter(record("store down")) for _ in range(100)] == [True] + [False] * 99
    assert quiet.filter(record("another message"))
    assert quiet.filter(record("recovered", logging.INFO))  # quieter records all pass
    clock.now += 60
    again = record("store down")
    assert quiet.filter(again)
    assert again.getMessage() == "store down (99 more like it not logged in the last 60 s)"


@pytest.mark.parametrize(("error", "outage"), [
    (_lost(), True),  # a connection found dead: SQLAlchemy says it invalidated it
    (OperationalError(None, None, Exception("connection refused")), True),  # while connecting
    (InterfaceError(None, None, Exception("connection already closed")), True),
    (OperationalError("SELECT 1", {}, Exception("database is locked")), False),
    (ProgrammingError("SELECT nope", {}, Exception("no such column: nope")), False),
    (IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed")), False),
    (ValueError("not a database error"), False),
])
def test_only_a_database_out_of_reach_is_an_outage(error: Exception, outage: bool) -> None:
    assert is_database_outage(error) is outage


def test_a_server_shutting_down_is_an_outage() -> None:
    class AdminShutdown(Exception):
        sqlstate = "57P01"

    class ConnectionFailure(Exception):
        sqlstate = "08006"

    for orig in (AdminShutdown("terminating connection"), ConnectionFailure("lost")):
        assert is_database_outage(OperationalError("SELECT 1", {}, orig))


# --- the pages ------------------------------------------------------------------------------

def test_an_unreachable_database_answers_503_with_a_calm_page(make_app, caplog) -> None:
    client = make_app(SQLALCHEMY_DATABASE_URI=UNREACHABLE).test_client()
    caplog.set_level(logging.WARNING)
    for _ in range(20):
        response = client.get("/catalog/")
        assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.headers["Cache-Control"] == "private, no-store"
    page = response.get_data(as_text=True)
    assert CALM in page and "Back in a moment" in page
    assert 'class="site-header"' in page  # the site's own page, not a bare error
    assert "Traceback" not in page
    lines = outage_lines(caplog)
    assert len(lines) == 1 and lines[0].exc_info is None  # one line, no traceback
    assert "The database cannot be reached" in lines[0].getMessage()


def test_the_page_is_in_the_visitors_language(make_app) -> None:
    client = make_app(SQLALCHEMY_DATABASE_URI=UNREACHABLE).test_client()
    response = client.get("/catalog/", headers={"Accept-Language": "fr"})
    assert response.status_code == 503 and CALM_FR in response.get_data(as_text=True)


def test_a_script_gets_json_to_retry_later(make_app) -> None:
    client = make_app(SQLALCHEMY_DATABASE_URI=UNREACHABLE).test_client()
    for headers in ({"Accept": "application/json"}, {"X-Requested-With": "XMLHttpRequest"}):
        response = client.get("/catalog/", headers=headers)
        assert response.status_code == 503 and response.headers["Retry-After"] == "5"
        assert response.json == {"error": CALM, "unavailable": "database", "retry_after": 5}


def test_a_lost_connection_mid_page_draws_the_page_without_the_database(
        app, client, make_user, caplog) -> None:
    amina = make_user("amina@example.org")
    amina.language = "fr"
    db.session.commit()
    login(client, "amina@example.org")
    caplog.set_level(logging.WARNING)
    # The account loads (the first statement), then every statement fails, the page's and any
    # the error page would run: it is drawn all the same, in her profile's language.
    with connection_lost(after=1):
        response = client.get("/learning/dashboard")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert CALM_FR in page and 'lang="fr"' in page
    assert "amina@example.org" not in page and "Trainee" not in page  # the account is not read
    assert len(outage_lines(caplog)) == 1
    # The connection is back: so is the page, and she is still logged in (her session was
    # left alone). The test's app context outlives requests, and `g` with it: a server's
    # next request would load her account anew.
    with client.session_transaction() as session:
        assert session.get("_user_id")
    g.pop("_login_user", None)
    assert client.get("/learning/dashboard").status_code == 200


def test_an_autosave_that_cannot_reach_the_database_is_told_to_retry(app, client,
                                                                    make_user) -> None:
    make_user("amina@example.org")
    login(client, "amina@example.org")
    with connection_lost():
        response = client.post("/quizzes/attempts/1/save", data={"seq": "3"},
                               headers={"Accept": "application/json"})
    assert response.status_code == 503 and response.json["retry_after"] == 5


def test_many_requests_log_one_line_per_interval(app, client, caplog) -> None:
    caplog.set_level(logging.WARNING)
    with connection_lost():
        statuses = {client.get("/catalog/").status_code for _ in range(50)}
    assert statuses == {503}
    assert len(outage_lines(caplog)) == 1


def test_a_programming_error_is_still_a_500_with_its_traceback(app, client, monkeypatch,
                                                              caplog) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        db.session.execute(sa.text("SELECT no_such_column FROM users"))

    monkeypatch.setitem(app.view_functions, "catalog.index", broken)
    caplog.set_level(logging.WARNING)
    response = client.get("/catalog/")
    assert response.status_code == 500 and "Retry-After" not in response.headers
    assert "Something went wrong" in response.get_data(as_text=True)
    [line] = outage_lines(caplog)
    assert line.getMessage() == "Unhandled error" and line.exc_info is not None


def test_a_commit_that_cannot_reach_the_database_answers_503(app, client, make_user,
                                                             monkeypatch) -> None:
    make_user("amina@example.org")
    login(client, "amina@example.org")

    def lost_commit(*_args: Any, **_kwargs: Any) -> None:
        raise _lost(None)

    monkeypatch.setattr(db.session, "commit", lost_commit)
    response = client.post("/auth/language", data={"language": "fr", "next": "/"})
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"


def test_the_pool_recovers_after_the_server_drops_every_connection(app, client) -> None:
    """A PostgreSQL restart closes every pooled connection: the next request reconnects (the
    pool pings each connection before a request uses it), with no restart of the app."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: a SQLite file has no connection to lose")
    assert client.get("/catalog/").status_code == 200
    db.session.remove()  # the test's session gives its connection back to the pool
    admin = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with admin.connect() as connection:
        killed = connection.execute(sa.text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
    admin.dispose()
    assert killed and killed >= 1
    assert client.get("/catalog/").status_code == 200
