"""The cluster the tests in this folder share: built once, in the order of the README's
production section, and taken down at the end with a table of the figures.

`make test-cluster` runs this folder (plain `make test` deselects it: `-m "not cluster"`).
CLUSTER_DATABASE_URL names the PostgreSQL database to use (emptied first; created when
missing); CLUSTER_RATELIMIT_STORAGE_URI and CLUSTER_JOBS_URL the Redis databases.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.cluster.harness import (
    BIN,
    RECORDS_KEY,
    ROOT,
    SECRET_KEY,
    Nginx,
    Node,
    TcpForwarder,
    Worker,
    empty_database,
    free_port,
)
from tests.cluster.learners import Answered

DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/cluster"
LEARNERS = 30


@dataclass
class Figures:
    """Rows of the summary table: (phase, what, figure)."""

    rows: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, phase: str, what: str, figure: object) -> None:
        self.rows.append((phase, what, str(figure)))

    def latencies(self, phase: str, answered: list[Answered]) -> None:
        for kind in sorted({a.kind for a in answered}):
            times = sorted(a.seconds * 1000 for a in answered if a.kind == kind)
            p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
            self.add(phase, f"{kind}: requests, p50, p99",
                     f"{len(times)}, {statistics.median(times):.0f} ms, {p99:.0f} ms")

    def table(self) -> list[str]:
        widths = [max(len(row[i]) for row in [("phase", "what", "figure"), *self.rows])
                  for i in range(3)]
        lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip()
                 for row in [("phase", "what", "figure"), *self.rows]]
        return [lines[0], "  ".join("-" * w for w in widths), *lines[1:]]


@dataclass
class Cluster:
    database_url: str  # straight to PostgreSQL: the test's own checks
    nodes: list[Node]
    nginx: Nginx
    forwarder: TcpForwarder
    worker: Worker
    learners: list[str]  # e-mail addresses, all enrolled in the exam's course
    password: str
    course: str
    module: str
    quiz: str
    figures: Figures
    folder: Path

    def query(self, sql: str, **params: object) -> list[tuple[object, ...]]:
        engine = create_engine(self.database_url)
        try:
            with engine.connect() as conn:
                return [tuple(row) for row in conn.execute(text(sql), params)]
        finally:
            engine.dispose()


def _prepare(database_url: str, env: dict[str, str], folder: Path) -> list[str]:
    """Migrate (the README's `flask --app wsgi db upgrade`), import the benchmark's exam
    course (bench/scale_data.py) and create the learners, enrolled, with the app's services."""
    empty_database(database_url)
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    from sqlalchemy import select

    from app import create_app
    from app.auth.services import Profile, create_account
    from app.content.importer import import_folders
    from app.content.models import Course
    from app.extensions import db
    from app.learning.services import enrol
    from bench.scale_data import COURSE, PASSWORD, write_course

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET_KEY,
                      "RECORDS_KEY": RECORDS_KEY, "RECORDS_ANCHOR": env["RECORDS_ANCHOR"]})
    emails = [f"learner{n}@cluster.example.org" for n in range(1, LEARNERS + 1)]
    with app.app_context():
        now = datetime.now(UTC)
        import_folders([write_course(folder / "courses", modules=1)], now=now)
        course = db.session.scalar(select(Course).where(Course.slug == COURSE))
        assert course is not None
        for n, email in enumerate(emails, start=1):
            learner = create_account(email=email, password=PASSWORD,
                                     profile=Profile(f"Cluster Learner {n}", "KE"), now=now)
            enrol(learner, course, now)
        db.session.commit()
        db.engine.dispose()
    return emails


@pytest.fixture(scope="module")
def cluster(request: pytest.FixtureRequest) -> Iterator[Cluster]:
    from bench.scale_data import COURSE, PASSWORD, QUIZ

    database_url = os.environ.get("CLUSTER_DATABASE_URL", DEFAULT_DATABASE)
    if not database_url.startswith("postgresql"):
        pytest.fail("the cluster test runs on PostgreSQL: CLUSTER_DATABASE_URL=postgresql+...")
    parsed = make_url(database_url)
    figures = Figures()
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    with tempfile.TemporaryDirectory(prefix="trainhub-cluster-") as name:
        folder = Path(name)
        forwarder = TcpForwarder(parsed.host or "127.0.0.1", parsed.port or 5432)
        forwarder.start()
        # The nodes reach PostgreSQL through the forwarder, so that the test can cut it.
        through = parsed.set(host="127.0.0.1", port=forwarder.port)
        # The README's production section, variable for variable (docs: README.md,
        # "Production"); only the hosts are this machine's.
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TRAINHUB_ENV": "production",
               "SECRET_KEY": SECRET_KEY, "RECORDS_KEY": RECORDS_KEY,
               "RECORDS_ANCHOR": str(folder / "records-anchor"),
               "DATABASE_URL": through.render_as_string(hide_password=False),
               "RATELIMIT_STORAGE_URI": os.environ.get("CLUSTER_RATELIMIT_STORAGE_URI",
                                                       "redis://127.0.0.1:6379/11"),
               "TRUSTED_PROXIES": "1",
               "JOBS_URL": os.environ.get("CLUSTER_JOBS_URL", "redis://127.0.0.1:6379/12"),
               "MAIL_FOLDER": str(folder / "mail")}
        nodes = [Node(name, free_port(), env, folder / f"node-{name}.log") for name in "ab"]
        nginx = Nginx(nodes, folder / "nginx")
        env["SERVER_NAME"] = f"127.0.0.1:{nginx.port}"  # the public name: nginx's
        learners = _prepare(database_url, {**env, "DATABASE_URL": database_url}, folder)
        worker = Worker(env, folder / "worker.log")
        try:
            for node in nodes:
                figures.add("start", f"node {node.name} up (s)", f"{node.start():.1f}")
            worker.start()
            nginx.start()
            yield Cluster(database_url, nodes, nginx, forwarder, worker, learners, PASSWORD,
                          COURSE, "final-exam", QUIZ, figures, folder)
        finally:
            nginx.stop()
            worker.stop()
            for node in nodes:
                node.stop()
            forwarder.close()
            capture = request.config.pluginmanager.get_plugin("capturemanager")
            if reporter is not None and capture is not None:
                with capture.global_and_fixture_disabled():  # shown whatever the outcome
                    reporter.write_line("")
                    reporter.write_line("TrainHub cluster: figures")
                    for line in figures.table():
                        reporter.write_line(line)
