"""/healthz reports each dependency: 503 only when the node cannot serve log-ins or pages
(the database), 200 "degraded" while the rate-limit store or the job queue is away."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import redis
from flask import Flask

from app.core.headers import NO_STORE
from app.extensions import db, limiter
from app.jobs import huey_for
from app.mail.models import OutboxMessage
from tests.conftest import FrozenClock, count_queries

CLOSED_REDIS = "redis://127.0.0.1:1/0"
OPEN_REDIS = "redis://127.0.0.1:6379/0"  # only read: a PING, the queue's length
UNREACHABLE_DATABASE = "postgresql+psycopg://trainhub@127.0.0.1:1/trainhub"


def _message(status: str, due_at, clock: FrozenClock) -> OutboxMessage:
    return OutboxMessage(kind="auth.password_reset", recipient="amina@example.org",
                         subject="Reset", sender="trainhub@localhost", message=b"...",
                         status=status, attempts=0, created_at=clock() - timedelta(hours=1),
                         due_at=due_at)


def test_every_dependency_ok_in_one_statement(app, client) -> None:
    with count_queries() as statements:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "engine": db.engine.dialect.name,
                             "rate_limit_store": "ok", "job_queue": "ok", "jobs_waiting": 0,
                             "mail_outbox_oldest_seconds": None}
    assert len(statements) == 1
    assert response.headers["Cache-Control"] == NO_STORE
    assert "X-RateLimit-Limit" not in response.headers  # exempt from every limit


def test_the_outbox_figure_is_the_oldest_due_message_s_wait(app, client, clock) -> None:
    db.session.add_all([
        _message("pending", clock() - timedelta(seconds=90), clock),
        _message("sending", clock() - timedelta(seconds=30), clock),
        _message("pending", clock() + timedelta(minutes=5), clock),  # a retry not yet due
        _message("sent", clock() - timedelta(days=1), clock),
        _message("failed", clock() - timedelta(days=2), clock),
    ])
    db.session.commit()
    assert client.get("/healthz").json["mail_outbox_oldest_seconds"] == 90


def test_queued_jobs_are_counted(app, client) -> None:
    from app.jobs import enqueue

    enqueue("mail.send_outbox")
    assert client.get("/healthz").json["jobs_waiting"] == 1


def test_a_rate_limit_store_away_is_degraded_not_down(
        make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limiter, "_storage_dead", False)  # the process's limiter, put back
    response = make_app(RATELIMIT_STORAGE_URI=CLOSED_REDIS).test_client().get("/healthz")
    assert response.status_code == 200  # log-ins are counted in the database all the same
    assert response.get_json()["status"] == "degraded"
    assert response.get_json()["rate_limit_store"] == "unavailable"
    assert response.get_json()["database"] == "ok"


def test_a_job_queue_away_is_degraded_not_down(make_app: Callable[..., Flask]) -> None:
    app = make_app(JOBS_URL=CLOSED_REDIS)
    # The queue is made; Redis is away.
    with app.app_context(), pytest.raises(redis.ConnectionError):
        huey_for().pending_count()
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "degraded"
    health = response.get_json()
    assert (health["job_queue"], health["jobs_waiting"]) == ("unavailable", None)


def test_a_database_out_of_reach_is_503(make_app: Callable[..., Flask]) -> None:
    response = make_app(SQLALCHEMY_DATABASE_URI=UNREACHABLE_DATABASE).test_client().get(
        "/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"
    assert response.get_json()["database"] == "unavailable"
    assert response.get_json()["detail"] == "OperationalError"
    assert response.get_json()["rate_limit_store"] == "ok"  # the others are still reported
    assert response.headers["Cache-Control"] == NO_STORE


def test_a_redis_that_answers_is_ok(make_app: Callable[..., Flask],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the real client and the options the app gives it (short timeouts)."""
    try:
        redis.Redis.from_url(OPEN_REDIS, socket_connect_timeout=0.5).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    monkeypatch.setattr(limiter, "_storage_dead", False)
    app = make_app(RATELIMIT_STORAGE_URI=OPEN_REDIS, JOBS_URL=OPEN_REDIS)
    health = app.test_client().get("/healthz").get_json()
    assert (health["status"], health["rate_limit_store"], health["job_queue"]) == (
        "ok", "ok", "ok")
