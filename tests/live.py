"""The real app under gunicorn, for the tests that need real worker processes: the browser
journeys (tests/e2e) and the log-in limits across workers (tests/auth/test_workers.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import TEST_RECORDS_KEY

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_gunicorn(database_url: str, port: int, log: Path, *,
                   extra_args: tuple[str, ...] = ()) -> subprocess.Popen[bytes]:
    """The real app under gunicorn (2 sync workers, CSRF and rate limits on, Flask-Limiter
    counting in each worker's memory as under `make run`), in its own process group so that a
    test can kill it outright."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "e2e-secret",
           "RECORDS_KEY": TEST_RECORDS_KEY, "RECORDS_ANCHOR": str(log.parent / "anchor"),
           "TRAINHUB_ENV": "development", "RATELIMIT_STORAGE_URI": "memory://",
           # The jobs' queue and the .eml files beside the log, never in the repository's
           # instance folder.
           "JOBS_URL": f"sqlite:///{log.parent / 'jobs.db'}",
           "MAIL_FOLDER": str(log.parent / "mail")}
    with log.open("a") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind",
             f"127.0.0.1:{port}", *extra_args, "wsgi:app"], cwd=ROOT, env=env, stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True)
    wait_until_up(f"http://127.0.0.1:{port}", server, log)
    return server


def wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within 30 s:\n{log.read_text()}")
