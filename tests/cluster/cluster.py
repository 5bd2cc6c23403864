"""The cluster as the tests see it (the figures they report, the running parts), the
database made ready for it, and the whole started in the order of the README's production
section."""

from __future__ import annotations

import os
import ssl
import statistics
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.cluster.forwarder import TcpForwarder
from tests.cluster.harness import (
    BIN,
    RECORDS_KEY,
    ROOT,
    SECRET_KEY,
    SITE_NAME,
    Nginx,
    Node,
    Worker,
    empty_database,
    env_file,
    free_port,
)
from tests.cluster.learners import Answered, Browser, Exam, Journal, Sitting

LEARNERS = 30  # who sit the exam together; one more sits it while the database is away


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
    """The running cluster; learners reach it as `browser()`s, on nginx's HTTPS."""

    database_url: str  # straight to PostgreSQL: the test's own checks
    nodes: list[Node]
    nginx: Nginx
    forwarder: TcpForwarder
    worker: Worker
    learners: list[str]  # e-mail addresses, all enrolled in the exam's course
    exam: Exam
    figures: Figures
    folder: Path
    tls: ssl.SSLContext

    def browser(self, journal: Journal) -> Browser:
        return Browser(self.nginx.port, journal, host=SITE_NAME, tls=self.tls)

    def sitting(self, email: str, journal: Journal) -> Sitting:
        """A learner sitting the exam through nginx."""
        return Sitting(email, self.exam, self.browser(journal))

    def query(self, sql: str, **params: object) -> list[tuple[object, ...]]:
        engine = create_engine(self.database_url)
        try:
            with engine.connect() as conn:
                return [tuple(row) for row in conn.execute(text(sql), params)]
        finally:
            engine.dispose()


@contextmanager
def running(database_url: str, folder: Path, figures: Figures) -> Iterator[Cluster]:
    """The cluster, up: the database made ready, both nodes answering /healthz, the jobs'
    worker and nginx started; everything stopped afterwards, whatever happened."""
    from bench.scale_data import COURSE, PASSWORD, QUIZ

    parsed = make_url(database_url)
    forwarder = TcpForwarder(parsed.host or "127.0.0.1", parsed.port or 5432)
    forwarder.start()
    # The nodes reach PostgreSQL through the forwarder, so that the test can cut it.
    through = parsed.set(host="127.0.0.1", port=forwarder.port)
    nodes = [Node(name, free_port(), {}, folder / f"node-{name}.log") for name in "ab"]
    nginx = Nginx(nodes, folder / "nginx")
    # deploy/trainhub.env.example, with this machine's values where it names hosts,
    # paths and secrets; every other setting as shipped.
    env = {**os.environ, **env_file(), "PYTHONPATH": str(ROOT),
           "SECRET_KEY": SECRET_KEY, "RECORDS_KEY": RECORDS_KEY,
           "RECORDS_ANCHOR": str(folder / "records-anchor"),
           "DATABASE_URL": through.render_as_string(hide_password=False),
           "RATELIMIT_STORAGE_URI": os.environ.get("CLUSTER_RATELIMIT_STORAGE_URI",
                                                   "redis://127.0.0.1:6379/11"),
           "JOBS_URL": os.environ.get("CLUSTER_JOBS_URL", "redis://127.0.0.1:6379/12"),
           "SERVER_NAME": f"{SITE_NAME}:{nginx.port}",
           "STATIC_BUILD_FOLDER": str(nginx.static_folder),
           "MAIL_FOLDER": str(folder / "mail"), "MAIL_SERVER": ""}
    if not Path(env["PDF_CJK_FONT"]).exists():
        del env["PDF_CJK_FONT"]
    for node in nodes:
        node.env = env
    worker = Worker(env, folder / "worker.log")
    try:
        learners = prepare(database_url, {**env, "DATABASE_URL": database_url}, folder)
        for url in (env["RATELIMIT_STORAGE_URI"], env["JOBS_URL"]):
            empty_redis(url)
        for node in nodes:
            node.launch()
        for node in nodes:
            figures.add("start", f"node {node.name} up (s)", f"{node.wait_up():.1f}")
        worker.start()
        nginx.start()
        tls = ssl.create_default_context(cafile=str(nginx.certificate))
        yield Cluster(database_url, nodes, nginx, forwarder, worker, learners,
                      Exam(PASSWORD, COURSE, "final-exam", QUIZ), figures, folder, tls)
    finally:
        nginx.stop()
        worker.stop()
        for node in nodes:
            node.stop()
        forwarder.close()


def prepare(database_url: str, env: dict[str, str], folder: Path) -> list[str]:
    """The README's step 3 as written (`db upgrade`, `courses import`, `users create` of
    the administrator), on the benchmark's exam course (bench/scale_data.py) in place of
    the shipped ones; then the learners, enrolled, with the app's services."""
    from bench.scale_data import COURSE, PASSWORD, write_course

    empty_database(database_url)
    write_course(folder / "courses", modules=1)

    def trainhub(*args: str, stdin: str | None = None) -> None:
        """The README's `trainhub` shell function: flask --app wsgi, from the checkout."""
        done = subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                              input=stdin, text=True, capture_output=True, check=False)
        if done.returncode:
            raise AssertionError(f"trainhub {' '.join(args)}: {done.stdout}{done.stderr}")

    trainhub("db", "upgrade")
    trainhub("courses", "import", str(folder / "courses"))
    trainhub("users", "create", "admin@example.org", "--name", "Site administrator", "--role",
             "admin", "--password-stdin", stdin=f"{PASSWORD}\n")
    from sqlalchemy import select

    from app import create_app
    from app.auth.services import Profile, create_account
    from app.content.models import Course
    from app.extensions import db
    from app.learning.services import enrol

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET_KEY,
                      "RECORDS_KEY": RECORDS_KEY, "RECORDS_ANCHOR": env["RECORDS_ANCHOR"]})
    emails = [f"learner{n}@cluster.example.org" for n in range(1, LEARNERS + 2)]
    with app.app_context():
        now = datetime.now(UTC)
        course = db.session.scalar(select(Course).where(Course.slug == COURSE))
        assert course is not None
        for n, email in enumerate(emails, start=1):
            learner = create_account(email=email, password=PASSWORD,
                                     profile=Profile(f"Cluster Learner {n}", "KE"), now=now)
            enrol(learner, course, now)
        db.session.commit()
        db.engine.dispose()
    return emails


def empty_redis(url: str) -> None:
    """Empty the test's own Redis database (one of its number, never the whole server)."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()
