"""The cluster the tests in this folder share: built once, in the order of the README's
production section (tests/cluster/cluster.py), and taken down at the end with a table of
the figures.

`make test-cluster` runs this folder (plain `make test` deselects it: `-m "not cluster"`).
CLUSTER_DATABASE_URL names the PostgreSQL database to use (emptied first; created when
missing); CLUSTER_RATELIMIT_STORAGE_URI and CLUSTER_JOBS_URL the Redis databases.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cluster.cluster import Cluster, Figures, running

DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/cluster"


@pytest.fixture(scope="module")
def cluster(request: pytest.FixtureRequest) -> Iterator[Cluster]:
    database_url = os.environ.get("CLUSTER_DATABASE_URL", DEFAULT_DATABASE)
    if not database_url.startswith("postgresql"):
        pytest.fail("the cluster test runs on PostgreSQL: CLUSTER_DATABASE_URL=postgresql+...")
    figures = Figures()
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    with tempfile.TemporaryDirectory(prefix="trainhub-cluster-") as name:
        try:
            with running(database_url, Path(name), figures) as built:
                yield built
        finally:
            capture = request.config.pluginmanager.get_plugin("capturemanager")
            if reporter is not None and capture is not None:
                with capture.global_and_fixture_disabled():  # shown whatever the outcome
                    reporter.write_line("")
                    reporter.write_line("TrainHub cluster: figures")
                    for line in figures.table():
                        reporter.write_line(line)
