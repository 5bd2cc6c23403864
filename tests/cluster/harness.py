"""The cluster's moving parts, each a child process of the test: the database made ready,
two gunicorn nodes, the jobs' worker and nginx in front (the TCP forwarder between the
nodes and PostgreSQL that the test can cut is in forwarder.py).

They run the shipped deployment (deploy/, README "Production"): the settings of
deploy/trainhub.env.example, the commands of the systemd units and the nginx site, each
changed only where it names the machine (addresses, ports, paths), by the substitutions
listed here. A substitution that no longer finds its text fails the test, so that a change
to deploy/ cannot leave the test running something else.

Nothing here touches the machine's own services: PostgreSQL and Redis are shared with other
people, so an outage is made with the forwarder (PostgreSQL) or a closed port (Redis), and
nginx runs as a child with its own prefix, pid file and temporary folders.
"""

from __future__ import annotations

import contextlib
import grp
import http.client
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DEPLOY = ROOT / "deploy"
SITE_CONFIG = DEPLOY / "nginx" / "trainhub.conf"
ENV_EXAMPLE = DEPLOY / "trainhub.env.example"
WEB_UNIT = DEPLOY / "systemd" / "trainhub-web.service"
WORKER_UNIT = DEPLOY / "systemd" / "trainhub-worker.service"
SITE_NAME = "lms.example.org"  # the site's name in deploy/: kept, and resolved to loopback
RECORDS_KEY = "cluster-records-key-not-a-secret-0123456789abcdef"
SECRET_KEY = "cluster-secret-key-not-a-secret"
# The web unit runs 4 workers; two nodes share this 2-core machine, so each gets 2.
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


# --- the shipped deployment -----------------------------------------------------------------


def substitute(text: str, replacements: list[tuple[str, str]], what: str) -> str:
    """`text` with each (shipped, here) replaced; every shipped text must be there."""
    for shipped, here in replacements:
        if shipped not in text:
            raise AssertionError(f"{what} no longer contains {shipped!r}: update the "
                                 "cluster test's substitutions (tests/cluster/harness.py)")
        text = text.replace(shipped, here)
    return text


def env_file(path: Path = ENV_EXAMPLE) -> dict[str, str]:
    """The settings of an environment file, as systemd's EnvironmentFile reads them."""
    settings = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            settings[name.strip()] = shlex.split(value)[0] if value.strip() else ""
    return settings


def unit_command(unit: Path, replacements: list[tuple[str, str]]) -> list[str]:
    """A systemd unit's ExecStart, with this machine's paths and addresses."""
    found = re.search(r"^ExecStart=(.+)$", unit.read_text(), re.MULTILINE)
    if found is None:
        raise AssertionError(f"{unit} has no ExecStart")
    line = substitute(found.group(1), [("/srv/trainhub/.venv/bin/", f"{BIN}/"),
                                       *replacements], unit.name)
    return shlex.split(line)


def self_signed_certificate(folder: Path, name: str = SITE_NAME) -> tuple[Path, Path]:
    """A certificate for the site's name, made here with openssl for the one run."""
    folder.mkdir(parents=True, exist_ok=True)
    chain, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
                    "-keyout", str(key), "-out", str(chain)],
                   check=True, capture_output=True)
    return chain, key


# --- processes ------------------------------------------------------------------------------


def get(port: int, path: str, timeout: float = 2) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


def spawn(command: list[str], log: Path, env: dict[str, str] | None = None
          ) -> subprocess.Popen[bytes]:
    """A child in a process group of its own (so that it and its own children can be
    signalled as one), from the checkout, its output appended to `log`."""
    with log.open("ab") as output:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output,
                                stderr=subprocess.STDOUT, start_new_session=True)


def stop_child(process: subprocess.Popen[bytes] | None, stop: signal.Signals = signal.SIGTERM,
               grace: float = 20) -> None:
    """Send a child its graceful stop (`stop`) and wait `grace` seconds; then SIGKILL its
    process group, whatever it left behind as well as a child that did not stop."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(stop)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        kill_group(process)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # a worker left behind


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL a child's process group: no clean shutdown, no answers finished."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=15)


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
    began: float = 0.0

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def command(self) -> list[str]:
        """The web unit's gunicorn, bound as the README's step 4 binds it."""
        return unit_command(WEB_UNIT, [("--bind 10.0.0.11:5000", f"--bind {self.address}"),
                                       ("--workers 4", f"--workers {WORKERS_PER_NODE}")])

    def start(self, **overrides: str) -> float:
        """Start the node and wait until /healthz answers; the seconds that took."""
        self.launch(**overrides)
        return self.wait_up()

    def launch(self, **overrides: str) -> None:
        self.began = time.monotonic()
        with self.log.open("a") as output:
            output.write(f"\n--- start {self.starts + 1} {datetime.now(UTC).isoformat()}\n")
        self.process = spawn(self.command, self.log, {**self.env, **overrides})
        self.starts += 1

    def wait_up(self) -> float:
        assert self.process is not None
        began = self.began
        deadline = began + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"node {self.name} exited:\n{self.log.read_text()[-3000:]}")
            with contextlib.suppress(OSError):
                if get(self.port, "/healthz") == 200:
                    return time.monotonic() - began
            time.sleep(0.1)
        raise RuntimeError(f"node {self.name} did not answer /healthz within 60 s")

    def kill(self) -> None:
        """SIGKILL the master and every worker: no clean shutdown, no answers finished."""
        assert self.process is not None
        kill_group(self.process)

    def stop(self) -> None:
        """Gunicorn's graceful stop (SIGTERM), then SIGKILL whatever is left."""
        stop_child(self.process)

    @property
    def pids(self) -> set[int]:
        """The master and its workers now (for "recovered without a restart")."""
        assert self.process is not None
        found = subprocess.run(["ps", "-o", "pid=", "-g", str(self.process.pid)],
                               capture_output=True, text=True, check=False).stdout.split()
        return {int(pid) for pid in found}

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def tracebacks(self) -> int:
        return self.log_text().count("Traceback (most recent call last)")


@dataclass
class Worker:
    """The jobs' worker (`flask --app wsgi jobs worker`), as the README runs it on a node."""

    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = spawn(unit_command(WORKER_UNIT, []), self.log, self.env)

    def stop(self) -> None:
        """SIGTERM lets the running jobs finish, as the unit's KillSignal does."""
        stop_child(self.process)


# --- nginx ----------------------------------------------------------------------------------

def site_config(shipped: str, nodes: list[Node], http_port: int, https_port: int,
                folder: Path) -> str:
    """The shipped nginx site with this machine's nodes, ports and paths: what the README's
    step 5 has an operator change (the upstream's servers, the certificate's paths), and
    the listening addresses and the folders of logs and static files, under `folder`."""
    if len(nodes) != 2:
        raise AssertionError("the shipped upstream lists two nodes")
    return substitute(shipped, [
        ("server 10.0.0.11:5000 ", f"server {nodes[0].address} "),
        ("server 10.0.0.12:5000 ", f"server {nodes[1].address} "),
        # Loopback only, on free ports: never the machine's 80 and 443.
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;", f"listen [::1]:{http_port};"),
        ("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl"),
        ("listen [::]:443 ssl", f"listen [::1]:{https_port} ssl"),
        (f"/etc/letsencrypt/live/{SITE_NAME}/", f"{folder}/tls/"),
        ("/var/log/nginx/", f"{folder}/log/"),
        ("root /var/lib/trainhub;", f"root {folder}/var;"),
    ], "deploy/nginx/trainhub.conf")


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
    tcp_nopush on;
    types_hash_max_size 2048;
    # As Debian's nginx.conf has them (the site changes what it must).
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    gzip on;
    access_log {tmp}/access.log;
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
    """nginx with the shipped site, as a child: its own prefix, configuration, pid file,
    logs and temporary folders, under `folder`; the site's HTTPS on `port`."""

    nodes: list[Node]
    folder: Path
    port: int = field(default_factory=free_port)
    http_port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def static_folder(self) -> Path:
        """Where the site serves /static/ from: the nodes' STATIC_BUILD_FOLDER."""
        return self.folder / "var" / "static"

    @property
    def certificate(self) -> Path:
        return self.folder / "tls" / "fullchain.pem"

    @staticmethod
    def binary() -> str:
        found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                          else None)
        if found is None:
            raise RuntimeError("nginx is not installed (apt-get install nginx)")
        return found

    def start(self) -> None:
        for name in ("log", "var/static"):
            (self.folder / name).mkdir(parents=True, exist_ok=True)
        self_signed_certificate(self.folder / "tls")
        site = site_config(SITE_CONFIG.read_text(), self.nodes, self.http_port, self.port,
                           self.folder)
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
        self.process = spawn(command, self.folder / "nginx.out")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(
                    ("127.0.0.1", self.port), timeout=1):
                return
            time.sleep(0.1)
        raise RuntimeError("nginx did not start")

    def stop(self) -> None:
        stop_child(self.process, signal.SIGQUIT, 10)  # graceful: workers finish, then exit

    def error_log(self) -> str:
        path = self.folder / "log" / "trainhub.error.log"
        return path.read_text(errors="replace") if path.exists() else ""
