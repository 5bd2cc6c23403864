"""Shared fixtures: one migrated database per run, emptied after every test.

The database is SQLite in a temporary folder, or the PostgreSQL database named by
TEST_DATABASE_URL. Its schema is built by running the migrations, so every test also runs
against exactly what `flask db upgrade` produces.

Every fixture that more than one folder of tests uses lives here or in the plugin registered
below (tests/factories.py: `write_course`, `make_course` and the courses built with it); a
folder's own conftest keeps only what that folder alone uses, and no conftest imports from
another (tests/test_suite_shape.py holds the suite to that).

Only the modules in SHIPPED_COURSE_READERS may read the shipped courses in courses/: the
guard at the end of this file fails any other test that opens or lists a file there.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

from app import create_app
from app.auth.models import User
from app.auth.services import Profile, create_account
from app.config import normalize_database_url
from app.core.i18n import babel
from app.core.roles import Role
from app.extensions import db
from tests.catalogs import Messages, write_catalog
from tests.smtp import SmtpServer

pytest_plugins = ["tests.factories"]

DEFAULT_PASSWORD = "a long enough passphrase"
# The tests' own audit chain key, never the instance folder's.
TEST_RECORDS_KEY = "test-records-key-0123456789abcdef0123456789"


@dataclass
class FrozenClock:
    """A clock the test moves by hand."""

    current: datetime = field(default_factory=lambda: datetime(2026, 3, 2, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **kwargs: float) -> datetime:
        self.current += timedelta(**kwargs)
        return self.current


def _reset_postgresql(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = normalize_database_url(url)
        if url.startswith("postgresql"):
            _reset_postgresql(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def app_config(database_url: str, **extra: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "TESTING": True,
        "TRAINHUB_ENV": "development",
        "SECRET_KEY": "test-secret-key",
        "RECORDS_KEY": TEST_RECORDS_KEY,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        # The jobs' queue in memory: what a test enqueues waits there, unless the test puts
        # Huey in immediate mode to run it.
        "JOBS_URL": "memory://",
    }
    config.update(extra)
    return config


@pytest.fixture(scope="session")
def migrated_database(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Build the schema once per run, with the migrations."""
    app = create_app(app_config(database_url, RECORDS_ANCHOR=str(
        tmp_path_factory.mktemp("anchor") / "records_anchor")))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


def _empty_all_tables(url: str) -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        else:
            # The append-only triggers refuse DELETE on events: lift them while emptying.
            triggers = conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all()
            for name, _ in triggers:
                conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
            for table in tables:
                conn.execute(table.delete())
            for _, sql in triggers:
                conn.exec_driver_sql(sql)
    engine.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def anchor_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This test's audit chain anchor: a file of its own, as the database is emptied too."""
    return tmp_path_factory.mktemp("anchor") / "records_anchor"


@pytest.fixture
def mail_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where this test's .eml files go when no mail server is set."""
    return tmp_path_factory.mktemp("mail")


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on a free port, started; `.messages` is what arrived.
    Point an app at it with `make_app(**smtp_settings(smtp_server))`."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def smtp_settings(server: SmtpServer, **extra: Any) -> dict[str, Any]:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": server.port, "MAIL_TIMEOUT": 5, **extra}


@pytest.fixture
def make_app(migrated_database: str, clock: FrozenClock, anchor_path: Path,
             mail_folder: Path) -> Iterator[Callable[..., Flask]]:
    """Build an app on the test database with extra configuration; cleaned up after the test."""
    apps: list[Flask] = []

    def factory(**extra: Any) -> Flask:
        extra.setdefault("RECORDS_ANCHOR", str(anchor_path))
        extra.setdefault("MAIL_FOLDER", str(mail_folder))
        app = create_app(app_config(migrated_database, CLOCK=clock, **extra))
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
    _empty_all_tables(migrated_database)
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def make_translated_app(make_app: Callable[..., Flask], tmp_path: Path
                        ) -> Iterator[Callable[[str, Messages], Flask]]:
    """Build an app whose catalog for one language holds only `messages`, written for the
    test: a feature's pages in another language before the shipped catalogs translate it.
    Flask-Babel keeps loaded catalogs for the process, whatever the app, so the cache is
    emptied before and after."""

    def factory(tag: str, messages: Messages) -> Flask:
        babel.domain_instance.cache.clear()
        folder = write_catalog(tmp_path / "catalogs", tag, messages)
        return make_app(BABEL_TRANSLATION_DIRECTORIES=str(folder))

    yield factory
    babel.domain_instance.cache.clear()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app: Flask, clock: FrozenClock) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def factory(email: str | None = None, *, name: str | None = None,
                roles: tuple[Role, ...] = (Role.LEARNER,), password: str = DEFAULT_PASSWORD,
                country: str | None = "KE", organisation: str = "") -> User:
        n = next(counter)
        user = create_account(
            email=email or f"user{n}@example.org", password=password,
            profile=Profile(name=name or f"Trainee {n}", country=country,
                            organisation=organisation),
            roles=roles, now=clock(),
        )
        db.session.commit()
        return user

    return factory


@pytest.fixture
def people(make_user: Callable[..., User]) -> dict[str, User]:
    """Five people in their roles, by first name: two learners (Amina, Kim), an administrator
    (Grace), an instructor who also assesses (Ivan) and one who only teaches (Olu)."""
    return {
        "amina": make_user("amina@example.org", name="Amina Yusuf", country="NG",
                           organisation="Biovaccines Nigeria"),
        "kim": make_user("kim@example.org", name="Kim Min-jun", country="KR",
                         organisation="K-Bio"),
        "grace": make_user("grace@example.org", name="Grace Admin", roles=(Role.ADMIN,)),
        "ivan": make_user("ivan@example.org", name="Ivan Instructor",
                          roles=(Role.INSTRUCTOR, Role.ASSESSOR)),
        "olu": make_user("olu@example.org", name="Olu Instructor", roles=(Role.INSTRUCTOR,)),
    }


@pytest.fixture
def call_world(make_course: Callable[..., Any], make_user: Callable[..., User],
               clock: FrozenClock) -> Any:
    """A published call for an intake, its officer and reviewers (tests/calls/world.py)."""
    from tests.calls.world import build_call_world

    return build_call_world(make_course, make_user, clock)


def login(client: FlaskClient, email: str, password: str = DEFAULT_PASSWORD) -> Any:
    return client.post("/auth/login", data={"email": email, "password": password})


def committed(statement: sa.Select[Any]) -> Any:
    """The statement's scalar as committed: read on a connection of its own, outside the
    session that a test's app context shares with its requests."""
    with db.engine.connect() as connection:
        return connection.scalar(statement)


def committed_refusals() -> int:
    """How many refused signatures the audit chain has kept."""
    from app.records.models import Event

    return committed(sa.select(sa.func.count()).select_from(Event)
                     .where(Event.action == "signature.refused"))


@contextmanager
def count_queries() -> Iterator[list[str]]:
    """Collect the SQL statements run inside the block (on the current app's engine)."""
    statements: list[str] = []

    def before_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", before_execute)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before_execute)


@contextmanager
def append_only_guard_lifted() -> Iterator[None]:
    """Switch off the triggers that protect the audit chain, as a tamperer with database
    access would, and switch them on again afterwards."""
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ALTER TABLE events DISABLE TRIGGER events_no_update_or_delete")
            saved: list[str] = []
        else:
            saved = [sql for (sql,) in conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'")]
            for name in ("events_no_update", "events_no_delete"):
                conn.exec_driver_sql(f"DROP TRIGGER {name}")  # as a tamperer would
    try:
        yield
    finally:
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(
                    "ALTER TABLE events ENABLE TRIGGER events_no_update_or_delete")
            else:
                for sql in saved:
                    conn.exec_driver_sql(sql)


def choice_token(attempt: Any, key: str, index: int) -> str:
    """What the learner's page sends for choice `index` (its place in the course file) of
    question `key` in this attempt."""
    item = next(item for item in attempt.snapshot if item["key"] == key)
    return str(item["choice_tokens"][index])


# --- the shipped courses are read only by the tests that are about them -------------------

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_COURSES = ROOT / "courses"
# The tests about the shipped courses themselves, and the browser journeys, which walk
# through them as a trainee would. Every other test builds its course with `make_course`.
SHIPPED_COURSE_READERS = ("tests/content/test_shipped_courses.py", "tests/e2e/")
_READING_EVENTS = frozenset({"open", "os.listdir", "os.scandir"})


class ShippedCourseRead(AssertionError):
    """A test outside SHIPPED_COURSE_READERS read a file under courses/."""


@dataclass
class ShippedCourseGuard:
    """An audit hook (sys.addaudithook) that refuses reads under courses/ while a test that
    may not read them runs, whatever the path looks like in the code that reads it (a
    relative `courses`, the CLI's default folder, a `SHIPPED` constant)."""

    running: str | None = None  # the running test's file, relative to the repository
    refused: list[str] = field(default_factory=list)

    def allowed(self, test_file: str) -> bool:
        return test_file.startswith(SHIPPED_COURSE_READERS)

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        test_file = self.running
        if event not in _READING_EVENTS or test_file is None or self.allowed(test_file):
            return  # pytest's own work between tests (collecting, cleaning up) is no test's
        path = _read_path(event, args)
        if path is not None and (path == str(SHIPPED_COURSES)
                                 or path.startswith(str(SHIPPED_COURSES) + os.sep)):
            message = (f"{test_file} read {path}: only {', '.join(SHIPPED_COURSE_READERS)} "
                       "may read the shipped courses; build the course the test needs with "
                       "make_course")
            self.refused.append(message)
            raise ShippedCourseRead(message)


def _read_path(event: str, args: tuple[Any, ...]) -> str | None:
    """The absolute path an audited read names, where the event says which path it is."""
    target = args[0] if args else None
    if not isinstance(target, (str, bytes, os.PathLike)):
        return None  # a file descriptor, or os.listdir() of the current folder
    path = os.fsdecode(target)
    if not os.path.isabs(path):
        if event == "open" and args[1] is None:
            # os.open(), which may be relative to a folder's descriptor (dir_fd) that the
            # event does not carry, as shutil.rmtree opens each subfolder: not ours to judge.
            return None
        try:
            path = os.path.join(os.getcwd(), path)
        except OSError:  # the current folder is gone: a relative path names nothing here
            return None
    return os.path.normpath(path)


shipped_course_guard = ShippedCourseGuard()


def pytest_configure(config: pytest.Config) -> None:
    sys.addaudithook(shipped_course_guard)  # hooks cannot be removed: it lasts the process


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    shipped_course_guard.running = Path(item.path).relative_to(ROOT).as_posix()
    shipped_course_guard.refused.clear()
    try:
        return (yield)
    finally:
        shipped_course_guard.running = None


@pytest.fixture(autouse=True)
def _no_shipped_course_reads() -> Iterator[None]:
    """Fail the test even where the code it ran swallowed the guard's exception."""
    yield
    assert not shipped_course_guard.refused, shipped_course_guard.refused[0]
