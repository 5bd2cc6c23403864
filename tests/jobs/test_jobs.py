"""Background jobs: the queue from JOBS_URL, the registered jobs, and their tasks run."""

from __future__ import annotations

from datetime import datetime

import pytest
from huey import MemoryHuey, RedisHuey, SqliteHuey

from app.core.registry import NotRegistered
from app.extensions import db
from app.jobs import JOBS, enqueue, make_huey, queue_for
from app.mail.outbox import queue_mail
from app.mail.render import RenderedMail
from tests.conftest import smtp_settings

RENDERED = RenderedMail(subject="Hello", text="Hello.\n", html="<p>Hello.</p>", language="en")


def test_the_features_register_their_periodic_jobs(app) -> None:
    jobs = JOBS.entries(app)
    assert {"mail.send_outbox", "quizzes.finish_overdue"} <= set(jobs)
    minute = datetime(2026, 3, 2, 9, 17)
    for name in ("mail.send_outbox", "quizzes.finish_overdue"):
        schedule = jobs[name].schedule
        assert schedule is not None and schedule(minute)
    queue = queue_for(app)
    assert isinstance(queue.huey, MemoryHuey) and set(queue.tasks) == set(jobs)
    with pytest.raises(NotRegistered, match=r"nobody\.job"):
        enqueue("nobody.job")


def test_jobs_url_names_the_queue(tmp_path) -> None:
    assert isinstance(make_huey(f"sqlite:///{tmp_path / 'jobs.db'}"), SqliteHuey)
    assert isinstance(make_huey("redis://127.0.0.1:6379/3"), RedisHuey)
    assert isinstance(make_huey("memory://"), MemoryHuey)


def test_the_send_task_runs_and_a_commit_that_queued_mail_wakes_it(
        make_app, smtp_server, people, clock) -> None:
    app = make_app(**smtp_settings(smtp_server))
    queue = queue_for(app)
    with app.app_context():
        queue_mail(to="amina@example.org", rendered=RENDERED, kind="test.hello", now=clock())
        db.session.commit()  # a worker would be woken; the memory queue holds the task
        assert queue.huey.pending_count() == 1 and smtp_server.messages == []
        enqueue("mail.send_outbox")
        assert queue.huey.pending_count() == 2
        queue.huey.immediate = True
        enqueue("mail.send_outbox")  # runs now, in an app context of its own
        assert len(smtp_server.messages) == 1
        queue_mail(to="kim@example.org", rendered=RENDERED, kind="test.hello", now=clock())
        db.session.commit()  # the wake-up runs the task at once in immediate mode
        assert [m.recipients for m in smtp_server.messages] == [
            ("amina@example.org",), ("kim@example.org",)]


def test_the_worker_command_is_there(runner) -> None:
    result = runner.invoke(args=["jobs", "worker", "--help"])
    assert result.exit_code == 0 and "--no-periodic" in result.output
