"""SQLite is tuned for concurrent use; writers queue instead of failing."""

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

import app.auth.lockout as lockout
from app.auth.models import LoginSession
from app.core.db import write_intent
from app.extensions import db
from tests.conftest import login


@pytest.fixture
def sqlite_only(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite tuning")


def test_pragmas(sqlite_only) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        busy_timeout = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
        assert busy_timeout is not None and busy_timeout >= 1000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_writes_begin_immediate_and_safe_requests_deferred(sqlite_only, client, make_user,
                                                          monkeypatch) -> None:
    make_user("amina@example.org")
    steps: list[str] = []

    def record(statement: str) -> None:
        if statement.startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            steps.append(statement)

    # The BEGIN goes straight to the driver, so it is watched there, on fresh connections.
    def trace(dbapi_connection, _record) -> None:
        dbapi_connection.set_trace_callback(record)

    verify = lockout.verify_password

    def hashing(stored_hash: str | None, password: str) -> tuple[bool, bool]:
        steps.append("argon2id")
        return verify(stored_hash, password)

    monkeypatch.setattr(lockout, "verify_password", hashing)
    db.session.remove()
    db.engine.dispose()
    sa.event.listen(db.engine, "connect", trace)
    try:
        client.get("/healthz")
        assert steps == ["BEGIN"]
        db.session.remove()  # the test's app context outlives the request; production's does not
        steps.clear()  # its ROLLBACK
        # A log-in takes the write lock briefly to count the check, then checks the password
        # (argon2id, slow on purpose) holding no lock, then takes it again to settle: logins
        # never queue on each other's hashing.
        counted_then_settled = ["BEGIN IMMEDIATE", "COMMIT", "argon2id", "BEGIN IMMEDIATE",
                                "COMMIT"]
        client.post("/auth/login", data={"email": "x@example.org", "password": "wrong one!"})
        assert steps == counted_then_settled
        db.session.remove()
        steps.clear()
        login(client, "amina@example.org")
        assert steps == counted_then_settled
    finally:
        sa.event.remove(db.engine, "connect", trace)
        db.engine.dispose()
    assert write_intent.get() is False


def test_concurrent_read_modify_write_transactions_never_fail(app, make_user) -> None:
    """Each transaction reads, then writes: with deferred BEGIN on SQLite two such transactions
    deadlock and one fails with 'database is locked'. Here all of them must succeed."""
    user = make_user()
    user_id = user.id
    threads_n, per_thread = 6, 15
    errors: list[BaseException] = []
    start = threading.Barrier(threads_n)
    engine, created_at = db.engine, app.config["CLOCK"]()
    db.session.close()  # release this thread's own transaction before the writers start

    def work(worker: int) -> None:
        try:
            write_intent.set(True)  # as a POST request does
            start.wait()
            for i in range(per_thread):
                with engine.begin() as conn:
                    seen = conn.execute(select(func.count()).select_from(LoginSession)).scalar()
                    conn.execute(sa.insert(LoginSession).values(
                        user_id=user_id, token_hash=f"{worker}-{i}-{seen}",
                        created_at=created_at,
                    ))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = db.session.scalar(select(func.count()).select_from(LoginSession))
    assert rows == threads_n * per_thread
