"""Declarative base, constraint naming convention, UTC-aware timestamps, SQLite tuning, and
autocommit reads for the hot pages on PostgreSQL."""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import click
from flask import current_app, g, has_request_context, request
from sqlalchemy import DateTime, Engine, MetaData, event, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, LoaderCallableStatus, registry
from sqlalchemy.types import TypeDecorator

# Named constraints let Alembic drop and alter them on every database, SQLite included.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python, whatever the database keeps.

    SQLite has no timezone type and hands back naive values; they were written as UTC,
    so they are read as UTC. Naive values are refused on the way in: they are a bug.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC-aware one is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    # One registry carries both, so Flask-SQLAlchemy's subclass of this base inherits them.
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


# Whether the current unit of work will write. Requests with an unsafe method (POST...) set it;
# their SQLite transactions take the write lock at BEGIN, so concurrent writers queue on the
# busy timeout instead of failing with "database is locked" when a read lock cannot be
# upgraded. Safe requests and plain reads begin deferred: in WAL mode readers never wait.
write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)


def _wants_write_lock() -> bool:
    if write_intent.get():
        return True
    # A CLI command (import, user administration) writes and runs outside any request.
    return not has_request_context() and click.get_current_context(silent=True) is not None


def configure_sqlite(engine: Engine, busy_timeout_s: float) -> None:
    """WAL, foreign keys, busy timeout and BEGIN IMMEDIATE for writers on a SQLite engine."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take BEGIN out of the driver's hands so the "begin" hook below decides its kind.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed training record survives a power cut (see performance notes).
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Straight to the driver: this runs once per request, and a statement through the
        # engine costs several times what the BEGIN itself does.
        connection.connection.driver_connection.execute(
            "BEGIN IMMEDIATE" if _wants_write_lock() else "BEGIN")


F = TypeVar("F", bound=Callable[..., Any])


def autocommit_reads(view: F) -> F:
    """Mark a page whose statements may each run on their own on PostgreSQL: plain reads (no
    server-side cursor), and any write only after `begin_write`. The hot pages are marked;
    everything else keeps a transaction for the whole request."""
    view.autocommit_reads = True  # type: ignore[attr-defined]
    return view


def _reads_only() -> bool:
    """A safe request to a page marked `autocommit_reads` that has not declared a write."""
    if not has_request_context() or write_intent.get():
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "autocommit_reads", False))


def configure_postgresql(engine: Engine) -> None:
    """Hot pages read in autocommit on PostgreSQL: each statement sees the data as of its
    start, exactly as in a READ COMMITTED transaction, without the BEGIN and ROLLBACK round
    trips around the page's few statements. Other requests, `begin_write`, the CLI and
    everything outside a request run in transactions as usual.

    A connection is idle in autocommit while pooled (so its pre-ping opens no transaction)
    and is given its mode when a request takes it."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.autocommit = True

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        dbapi_connection.autocommit = _reads_only()

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection: Any, _record: Any) -> None:
        # The pool has rolled back whatever was open, so the mode can change.
        if dbapi_connection is not None:
            dbapi_connection.autocommit = True


def _autocommit_connection() -> Any:
    """The driver connection under the session, when it reads in autocommit (else None)."""
    from app.extensions import db

    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return None
    dbapi_connection = connection.connection.dbapi_connection
    return dbapi_connection if dbapi_connection is not None and dbapi_connection.autocommit \
        else None


def in_transaction() -> bool:
    """Whether the session's statements run in one transaction (always, but in a safe
    request on PostgreSQL before `begin_write`)."""
    return _autocommit_connection() is None


def end_request_reads() -> None:
    """At the end of a request: a connection taken in autocommit goes back to transactions.
    In production the session ends with the request anyway; where the session outlives it
    (a test's app context), what runs next must be atomic again."""
    from app.extensions import db

    try:
        if db.session().in_transaction() and (connection := _autocommit_connection()):
            connection.autocommit = False
    except SQLAlchemyError:
        pass  # a failed session: it is rolled back and removed with the app context


def _next_transaction(write: bool) -> None:
    """Commit and go on in a new transaction. Everything the session holds is expired, as a
    commit does, but the request's logged-in account and its roles: this request has read
    them already, and reloading them after each of these commits cost a statement each (two
    on a module's first view, which the exam's spike opens for every learner)."""
    from app.extensions import db

    session = db.session()
    kept = _session_user_objects()
    expires = session.expire_on_commit
    if not kept or not expires:
        session.commit()
    else:
        session.expire_on_commit = False
        try:
            session.commit()
        finally:
            session.expire_on_commit = expires
        for instance in list(session.identity_map.values()):
            if id(instance) not in kept:
                session.expire(instance)
    write_intent.set(write)


def _session_user_objects() -> set[int]:
    """The ids of the request's logged-in account and of what it has loaded with it (its
    roles), if Flask-Login has loaded it (it keeps it on `g`); nothing is loaded here."""
    user = g.get("_login_user") if has_request_context() else None
    state = inspect(user, raiseerr=False) if user is not None else None
    if state is None or state.expired or state.session is None:
        return set()
    kept = {id(user)}
    for relationship in state.mapper.relationships:
        loaded = state.attrs[relationship.key].loaded_value
        if loaded is not LoaderCallableStatus.NO_VALUE and loaded is not None:
            kept.update(id(value) for value in (loaded if relationship.uselist else [loaded]))
    return kept


def read_before_write() -> None:
    """In an unsafe request whose first work is a slow read (checking a password hash): its
    reads begin deferred, so that SQLite's write lock is not held by the wait (logins at the
    start of an exam would queue behind each other's hashing); `begin_write` comes before
    anything is written."""
    _next_transaction(write=False)


def begin_write() -> None:
    """In a safe (GET) request that turns out to need a write: end the read transaction and
    let the next one take the write lock from its start (SQLite), or be a transaction at all
    (PostgreSQL, where safe requests read in autocommit)."""
    _next_transaction(write=True)


def end_write() -> None:
    """In a safe request, after the write that `begin_write` declared: commit it now, so that
    SQLite's write lock is not held while the page renders, and read on as a safe request
    does. The request's boundary then has nothing left to commit."""
    _next_transaction(write=False)


def insert_unless_present(model: type[Base], **values: Any) -> bool:
    """Insert one row unless its key is taken: whether this call inserted it. One `INSERT
    ... ON CONFLICT DO NOTHING`, so that a row keyed by what it claims (a person's day) is a
    claim only one of several workers wins: on PostgreSQL the others wait for the winner's
    commit and then insert nothing (or insert it, should the winner roll back); on SQLite
    writers are serialized. In the caller's transaction."""
    from app.extensions import db

    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # RETURNING says what happened where rowcount may not (psycopg gives -1 for this).
    table = model.__table__
    inserted = db.session.execute(insert(model).values(**values).on_conflict_do_nothing()
                                  .returning(*table.primary_key)).first()
    return inserted is not None


# The full-text index (app/content/search_index.py) is the database's own machinery: an FTS5
# table and its shadow tables on SQLite, a GIN expression index on PostgreSQL. Alembic cannot
# describe either, so migration 0015 builds it by hand and autogenerate leaves it alone.
BUILT_BY_HAND = "search_documents"


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic's filter for names it reflects from the database."""
    return not (name or "").startswith(BUILT_BY_HAND)


def include_object(obj: Any, name: str | None, type_: str, reflected: bool,
                   compare_to: Any) -> bool:
    """Alembic's filter for the models' tables, so that the hand-built ones are not added."""
    return not (name or "").startswith(BUILT_BY_HAND)
