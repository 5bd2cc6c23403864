"""On PostgreSQL the hot pages read in autocommit (no BEGIN and ROLLBACK round trips); every
other request, and anything that writes, runs in a transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa

from app.core.db import begin_write
from app.extensions import db
from app.records.services import record_event
from tests.conftest import login


@pytest.fixture
def postgresql_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")


@contextmanager
def statement_modes() -> Iterator[list[bool]]:
    """Whether each statement ran in autocommit."""
    modes: list[bool] = []

    def record(conn: Any, *_args: Any) -> None:
        modes.append(bool(conn.connection.dbapi_connection.autocommit))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield modes
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


def test_hot_pages_read_in_autocommit_and_others_in_a_transaction(postgresql_only, app,
                                                                 client, make_user) -> None:
    make_user("amina@example.org")
    login(client, "amina@example.org")
    for url, autocommit in (("/learning/dashboard", True), ("/catalog/", True),
                            ("/auth/profile", False)):
        with app.app_context(), statement_modes() as modes:  # the request's own session
            assert client.get(url).status_code == 200
        assert modes and set(modes) == {autocommit}, url
    with app.app_context(), statement_modes() as modes:
        client.post("/auth/logout")
    assert modes and not any(modes)


def test_an_audit_event_outside_a_transaction_is_refused(postgresql_only, app,
                                                          make_user, clock) -> None:
    user = make_user()
    actor = SimpleNamespace(id=user.id, name=user.name)
    with app.app_context(), app.test_request_context("/learning/dashboard"):
        db.session.execute(sa.text("SELECT 1"))  # the page has begun reading in autocommit
        with pytest.raises(RuntimeError, match="write transaction"):
            record_event("login.started", actor=actor, now=clock(),
                         subject_type="login_session", subject_id=1)
        begin_write()
        record_event("login.started", actor=actor, now=clock(),
                     subject_type="login_session", subject_id=1)
        db.session.commit()
