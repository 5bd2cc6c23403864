"""The cluster the tests in this folder share: built once, in the order of the README's
production section, and taken down at the end with a table of the figures.

`make test-cluster` runs this folder (plain `make test` deselects it: `-m "not cluster"`).
CLUSTER_DATABASE_URL names the PostgreSQL database to use (emptied first; created when
missing); CLUSTER_RATELIMIT_STORAGE_URI and CLUSTER_JOBS_URL the Redis databases.
"""

from __future__ import annotations

import os
import ssl
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.cluster.cluster import Cluster, Figures, empty_redis, prepare
from tests.cluster.harness import (
    RECORDS_KEY,
    ROOT,
    SECRET_KEY,
    SITE_NAME,
    Nginx,
    Node,
    TcpForwarder,
    Worker,
    env_file,
    free_port,
)

DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/cluster"


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
        learners = prepare(database_url, {**env, "DATABASE_URL": database_url}, folder)
        for url in (env["RATELIMIT_STORAGE_URI"], env["JOBS_URL"]):
            empty_redis(url)
        worker = Worker(env, folder / "worker.log")
        try:
            for node in nodes:
                node.launch()
            for node in nodes:
                figures.add("start", f"node {node.name} up (s)", f"{node.wait_up():.1f}")
            worker.start()
            nginx.start()
            tls = ssl.create_default_context(cafile=str(nginx.certificate))
            yield Cluster(database_url, nodes, nginx, forwarder, worker, learners, PASSWORD,
                          COURSE, "final-exam", QUIZ, figures, folder, tls)
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
