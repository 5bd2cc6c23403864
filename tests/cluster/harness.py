"""The cluster's moving parts, each a child process (or thread) of the test: the database
made ready, two gunicorn nodes, the jobs' worker, nginx in front with the shipped site
config, and a TCP forwarder between the nodes and PostgreSQL that the test can cut.

Nothing here touches the machine's own services: PostgreSQL and Redis are shared with other
people, so an outage is made with the forwarder (PostgreSQL) or a closed port (Redis), and
nginx runs as a child with its own prefix, pid file and temporary folders.
"""

from __future__ import annotations

import asyncio
import contextlib
import grp
import http.client
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SITE_CONFIG = Path(os.environ.get("CLUSTER_NGINX_SITE", ROOT / "deploy" / "nginx" / "trainhub.conf"))
RECORDS_KEY = "cluster-records-key-not-a-secret-0123456789abcdef"
SECRET_KEY = "cluster-secret-key-not-a-secret"
WORKERS_PER_NODE = 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def closed_port() -> int:
    """A loopback port with nothing listening on it (bound once, then let go)."""
    return free_port()


# --- the database ---------------------------------------------------------------------------


def empty_database(url: str) -> None:
    """Create the database if it is missing, then drop everything in it."""
    parsed = make_url(url)
    server = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                       {"name": parsed.database}) is None:
            conn.exec_driver_sql(f'CREATE DATABASE "{parsed.database}"')
    server.dispose()
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()


# --- processes ------------------------------------------------------------------------------


def get(port: int, path: str, timeout: float = 2) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


@dataclass
class Node:
    """One web node: a gunicorn master and its workers, in their own process group, so that
    the node can be killed outright as a machine losing power would be."""

    name: str
    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, **overrides: str) -> float:
        """Start the node (the README's command) and wait until /healthz answers; the seconds
        that took."""
        began = time.monotonic()
        with self.log.open("a") as output:
            output.write(f"\n--- start {self.starts + 1} {datetime.now(UTC).isoformat()}\n")
            output.flush()
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), "--workers", str(WORKERS_PER_NODE),
                 "--bind", self.address, "wsgi:app"],
                cwd=ROOT, env={**self.env, **overrides}, stdout=output,
                stderr=subprocess.STDOUT, start_new_session=True)
        self.starts += 1
        deadline = began + 40
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"node {self.name} exited:\n{self.log.read_text()[-3000:]}")
            with contextlib.suppress(OSError):
                if get(self.port, "/healthz") == 200:
                    return time.monotonic() - began
            time.sleep(0.1)
        raise RuntimeError(f"node {self.name} did not answer /healthz within 40 s")

    def kill(self) -> None:
        """SIGKILL the master and every worker: no clean shutdown, no answers finished."""
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=15)

    def stop(self) -> None:
        """Gunicorn's graceful stop (SIGTERM), then SIGKILL whatever is left."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)  # a worker left behind

    @property
    def pids(self) -> set[int]:
        """The master and its workers now (for "recovered without a restart")."""
        assert self.process is not None
        found = subprocess.run(["ps", "-o", "pid=", "-g", str(self.process.pid)],
                               capture_output=True, text=True, check=False).stdout.split()
        return {int(pid) for pid in found}

    def tracebacks(self) -> int:
        return self.log.read_text(errors="replace").count("Traceback (most recent call last)")


@dataclass
class Worker:
    """The jobs' worker (`flask --app wsgi jobs worker`), as the README runs it on a node."""

    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("a") as output:
            self.process = subprocess.Popen(
                [str(BIN / "flask"), "--app", "wsgi", "jobs", "worker"], cwd=ROOT,
                env=self.env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


# --- nginx ----------------------------------------------------------------------------------

# The shipped site config is used as it is, except for what names this machine: the
# upstream servers, the port nginx listens on and the folder static files are served from.
# Each substitution must match, so that a change to the shipped file that moves one of them
# fails here instead of silently testing something else.
_UPSTREAM_SERVER = re.compile(r"^(\s*)server\s+[^;\s]+(\s[^;]*)?;", re.MULTILINE)
_UPSTREAM_BLOCK = re.compile(r"upstream\s+(\w+)\s*\{(.*?)\}", re.DOTALL)
_LISTEN = re.compile(r"^(\s*)listen\s+[^;]+;", re.MULTILINE)
_ROOT_PATH = "/srv/trainhub"


def site_config(shipped: str, nodes: list[Node], port: int) -> str:
    """The shipped nginx site with this machine's upstreams, port and paths put in."""
    upstream = _UPSTREAM_BLOCK.search(shipped)
    if upstream is None:
        raise AssertionError("the shipped nginx config has no upstream block")
    servers = list(_UPSTREAM_SERVER.finditer(upstream.group(2)))
    if not servers:
        raise AssertionError("the shipped upstream block lists no server")
    indent, options = servers[0].group(1), servers[0].group(2) or ""
    lines = "".join(f"{indent}server {node.address}{options};" for node in nodes)
    body = _UPSTREAM_SERVER.sub("", upstream.group(2))
    body = lines + body
    site = shipped[:upstream.start(2)] + body + shipped[upstream.end(2):]
    listens = _LISTEN.findall(site)
    if not listens:
        raise AssertionError("the shipped nginx config has no listen directive")
    # Only plain HTTP here: one listen on the test's port stands for all of them.
    site, count = _LISTEN.subn(lambda m: f"{m.group(1)}listen 127.0.0.1:{port};", site)
    site = re.sub(rf"(^\s*listen 127\.0\.0\.1:{port};\n)(\s*listen 127\.0\.0\.1:{port};\n)+",
                  r"\1", site, flags=re.MULTILINE)
    return site.replace(_ROOT_PATH, str(ROOT))


MAIN_CONFIG = """\
# The test's nginx: its own prefix, pid, logs and temporary folders; the site is included
# as nginx.conf includes sites-enabled/ on Debian.
{user}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    log_format cluster '$status $request_method $uri upstream=$upstream_addr '
                       'upstream_status=$upstream_status $request_time';
    access_log {tmp}/access.log cluster;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
"""


@dataclass
class Nginx:
    nodes: list[Node]
    folder: Path
    shipped: Path = SITE_CONFIG
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @staticmethod
    def binary() -> str:
        found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                          else None)
        if found is None:
            raise RuntimeError("nginx is not installed (apt-get install nginx)")
        return found

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        site = site_config(self.shipped.read_text(), self.nodes, self.port)
        (self.folder / "site.conf").write_text(site)
        user = ""
        if os.geteuid() == 0:  # workers would otherwise run as nobody, shut out of tmp
            user = (f"user {pwd.getpwuid(os.geteuid()).pw_name} "
                    f"{grp.getgrgid(os.getegid()).gr_name};")
        (self.folder / "nginx.conf").write_text(MAIN_CONFIG.format(tmp=self.folder, user=user))
        command = [self.binary(), "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"),
                   "-e", str(self.folder / "error.log"), "-g", "daemon off;"]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
        if checked.returncode:
            raise RuntimeError(f"nginx refused the config:\n{checked.stderr}\n{site}")
        with (self.folder / "nginx.out").open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                get(self.port, "/healthz")
                return
            time.sleep(0.1)
        raise RuntimeError("nginx did not start")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGQUIT)  # graceful: workers finish, then exit
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def access_log(self) -> list[str]:
        path = self.folder / "access.log"
        return path.read_text().splitlines() if path.exists() else []


# --- the forwarder to PostgreSQL ------------------------------------------------------------


class TcpForwarder:
    """A loopback port that forwards to PostgreSQL, and can be cut: `cut()` drops every
    connection and refuses new ones, as a database server that went away does; `restore()`
    listens again on the same port."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.server: asyncio.AbstractServer | None = None
        self.open: set[asyncio.StreamWriter] = set()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True,
                                       name="pg-forwarder")

    def start(self) -> None:
        self.thread.start()
        self.restore()

    def _run(self, coroutine: object) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=10)  # type: ignore[arg-type]

    def restore(self) -> None:
        self._run(self._listen())

    def cut(self) -> None:
        self._run(self._cut())

    def close(self) -> None:
        self.cut()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.loop.close()

    async def _listen(self) -> None:
        self.server = await asyncio.start_server(self._connection, "127.0.0.1", self.port,
                                                 reuse_address=True)

    async def _cut(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        for writer in list(self.open):
            writer.transport.abort()
        self.open.clear()

    async def _connection(self, client_in: asyncio.StreamReader,
                          client_out: asyncio.StreamWriter) -> None:
        try:
            server_in, server_out = await asyncio.open_connection(*self.target)
        except OSError:
            client_out.transport.abort()
            return
        self.open.update((client_out, server_out))

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (OSError, asyncio.IncompleteReadError):
                pass
            finally:
                sink.close()
                self.open.discard(sink)

        await asyncio.gather(pipe(client_in, server_out), pipe(server_in, client_out))
