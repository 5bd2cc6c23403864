"""deploy/ is a deployment to copy: nginx accepts its site, its environment file names only
settings TrainHub knows and builds a production configuration, and its systemd units run
commands that exist. The cluster test (make test-cluster) runs them in front of real nodes;
these checks run everywhere, in a second."""

from __future__ import annotations

import re
import secrets
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from flask import Flask
from gunicorn.config import Config as GunicornConfig

from app.config import ConfigError, build_config

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SITE = DEPLOY / "nginx" / "trainhub.conf"
ENV_EXAMPLE = DEPLOY / "trainhub.env.example"
UNITS = {name: DEPLOY / "systemd" / f"trainhub-{name}.service" for name in ("web", "worker")}
# The headers a proxy must set for ProxyFix (TRUSTED_PROXIES) and the CSRF referrer check.
PROXY_HEADERS = ("Host", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host")
EXAM_WRITES = {"quizzes.save", "quizzes.submit"}


def readme_section(title: str) -> str:
    readme = (ROOT / "README.md").read_text()
    match = re.search(rf"^## {re.escape(title)}.*?$(.*?)(?=^## )", readme, re.M | re.S)
    assert match is not None, f"README has no section {title!r}"
    return match.group(1)


def configuration_table_names() -> set[str]:
    """The variables the README's configuration table describes (its first column)."""
    names: set[str] = set()
    for line in readme_section("Configuration").splitlines():
        if line.startswith("| `"):
            names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1]))
    return names


def env_example() -> dict[str, str]:
    """The example's settings as systemd's EnvironmentFile (and `sh`'s `.`) reads them."""
    settings = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            assert re.fullmatch(r"[A-Z][A-Z0-9_]*", name), line
            settings[name] = shlex.split(value)[0] if value else ""
    return settings


def site_text() -> str:
    return SITE.read_text()


# --- nginx ---------------------------------------------------------------------------------


def test_nginx_accepts_the_site(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                      else None)
    if nginx is None:
        pytest.skip("nginx is not installed (apt-get install nginx): the site's syntax is "
                    "checked where it is, as in CI's cluster test")
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed: no certificate to check the site with")
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=lms.example.org", "-keyout", str(tmp_path / "key.pem"),
                    "-out", str(tmp_path / "cert.pem")], check=True, capture_output=True)
    site = (site_text()
            .replace("/etc/letsencrypt/live/lms.example.org/fullchain.pem",
                     str(tmp_path / "cert.pem"))
            .replace("/etc/letsencrypt/live/lms.example.org/privkey.pem",
                     str(tmp_path / "key.pem"))
            .replace("/var/log/nginx/", f"{tmp_path}/"))
    (tmp_path / "site.conf").write_text(site)
    mime_types = Path("/etc/nginx/mime.types")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        "http {\n"
        + (f"    include {mime_types};\n" if mime_types.exists() else "")
        + f"    access_log off;\n    include {tmp_path}/site.conf;\n}}\n")
    checked = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c",
                              str(tmp_path / "nginx.conf")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_the_body_limit_is_the_apps(tmp_path: Path) -> None:
    limit = re.search(r"^\s*client_max_body_size (\d+)m;", site_text(), re.M)
    assert limit is not None
    config = build_config(tmp_path, {}, None)
    assert int(limit.group(1)) * 1024 * 1024 == config["MAX_CONTENT_LENGTH"]


def test_the_proxy_sets_the_headers_the_app_reads() -> None:
    site = site_text()
    for header in PROXY_HEADERS:
        assert re.search(rf"^\s*proxy_set_header {header} \$", site, re.M), header
    # Not $host, which drops a port that the browser's Referer keeps.
    assert re.search(r"^\s*proxy_set_header Host \$http_host;", site, re.M)
    production = readme_section("Production")
    assert [h for h in PROXY_HEADERS if f"`{h}`" not in production] == []


def test_only_the_exam_writes_are_retried_after_being_sent(app: Flask) -> None:
    """`non_idempotent` appears once, in the one location whose pattern matches exactly the
    autosave and submit addresses among every POST the app takes."""
    site = site_text()
    assert len(re.findall(r"^\s*proxy_next_upstream [^;#]*non_idempotent", site, re.M)) == 1
    block = re.search(r"location ~ (\S+) \{[^}]*non_idempotent[^}]*\}", site)
    assert block is not None
    pattern = re.compile(block.group(1))
    for rule in app.url_map.iter_rules():
        if "POST" not in (rule.methods or ()):
            continue
        path = re.sub(r"<(?:int:)?[^>]+>", "7", rule.rule)
        matched = pattern.search(path) is not None
        assert matched == (rule.endpoint in EXAM_WRITES), (rule.rule, rule.endpoint)
    # The general retry stays off for POSTs, and on for the failures a dead node gives; not
    # on the 503 of a database out of reach (every node's then), which is passed on.
    general = re.search(r"^    proxy_next_upstream (.+);", site, re.M)
    assert general is not None
    assert general.group(1).split() == ["error", "timeout", "http_502"]


@pytest.mark.parametrize("proxies, forwarded_for", [
    (1, "198.51.100.7, 203.0.113.9"),  # nginx alone: a client's own entry comes first
    (2, "203.0.113.9, 10.0.0.2"),  # a load balancer (10.0.0.2) in front of nginx
])
def test_the_app_reads_what_the_shipped_proxy_sends(make_app, proxies: int,
                                                    forwarded_for: str) -> None:
    """nginx (the site above) appends the address to X-Forwarded-For and sets one
    X-Forwarded-Proto and one X-Forwarded-Host; behind one or two proxies the app sees the
    client's address, HTTPS and the site's name."""
    app = make_app(TRUSTED_PROXIES=proxies)
    seen: dict[str, object] = {}

    @app.get("/probe-proxy")
    def probe() -> str:
        from flask import request
        seen.update(address=request.remote_addr, secure=request.is_secure, host=request.host)
        return ""

    app.test_client().get("/probe-proxy", headers={
        "Host": "lms.example.org", "X-Forwarded-Host": "lms.example.org",
        "X-Forwarded-Proto": "https", "X-Forwarded-For": forwarded_for})
    assert seen == {"address": "203.0.113.9", "secure": True, "host": "lms.example.org"}


def test_nginx_serves_the_static_build_folder() -> None:
    root = re.search(r"location /static/ \{\s*root (\S+);", site_text())
    assert root is not None
    assert env_example()["STATIC_BUILD_FOLDER"] == f"{root.group(1)}/static"


# --- the environment file ------------------------------------------------------------------


def test_the_env_example_names_only_known_settings() -> None:
    known = configuration_table_names()
    assert len(known) > 20  # the table was read
    assert sorted(set(env_example()) - known) == []


def test_the_env_example_builds_a_production_configuration(tmp_path: Path) -> None:
    settings = env_example()
    for name in ("SECRET_KEY", "RECORDS_KEY"):  # left as shipped, a secret refused
        with pytest.raises(ConfigError, match=f"{name} is still the example's placeholder"):
            build_config(tmp_path, settings, None)
        settings[name] = secrets.token_hex(32)
    config = build_config(tmp_path, settings, None)
    assert config["TRAINHUB_ENV"] == "production"
    assert config["TRUSTED_PROXIES"] == 1
    assert config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    # Nothing is written into the checkout, which the units make read-only.
    for name in ("STATIC_BUILD_FOLDER", "MAIL_FOLDER"):
        assert config[name].startswith("/var/lib/trainhub/")


# --- systemd -------------------------------------------------------------------------------


def unit_settings(path: Path) -> dict[str, str]:
    settings = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            name, _, value = line.partition("=")
            settings[name] = value
    return settings


def exec_start(name: str) -> list[str]:
    """The unit's command, its program resolved in this checkout instead of /srv/trainhub."""
    settings = unit_settings(UNITS[name])
    assert settings["WorkingDirectory"] == "/srv/trainhub"
    command = shlex.split(settings["ExecStart"])
    assert command[0].startswith("/srv/trainhub/")
    program = ROOT / command[0].removeprefix("/srv/trainhub/")
    assert program.is_file(), f"{command[0]} is not in the checkout's layout"
    return [str(program), *command[1:]]


def test_both_units_run_as_their_own_user_with_the_env_file() -> None:
    for path in UNITS.values():
        settings = unit_settings(path)
        assert settings["User"] == "trainhub" and settings["Group"] == "trainhub"
        assert settings["EnvironmentFile"] == "/etc/trainhub/trainhub.env"
        assert settings["Restart"] in ("on-failure", "always")
        assert settings["NoNewPrivileges"] == "yes"
        assert settings["ProtectSystem"] == "strict" and settings["StateDirectory"]


def test_the_web_unit_runs_gunicorn_on_the_app() -> None:
    command = exec_start("web")
    assert Path(command[0]).name == "gunicorn"
    parsed = GunicornConfig().parser().parse_args(command[1:])  # an unknown option exits
    assert parsed.args == ["wsgi:app"]
    assert (ROOT / "wsgi.py").is_file() and "app = create_app()" in (ROOT / "wsgi.py").read_text()
    assert parsed.workers >= 2 and parsed.bind


def test_the_worker_unit_runs_the_jobs_worker(app: Flask) -> None:
    command = exec_start("worker")
    assert Path(command[0]).name == "flask" and command[1:3] == ["--app", "wsgi"]
    result = app.test_cli_runner().invoke(args=[*command[3:], "--help"])
    assert result.exit_code == 0, result.output
    assert "JOBS_URL" in result.output


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed: the units' syntax is not checked here")
    for path in UNITS.values():
        (tmp_path / path.name).write_text(path.read_text().replace("/srv/trainhub", str(ROOT)))
    checked = subprocess.run([analyze, "verify", *(str(tmp_path / p.name) for p in
                                                   UNITS.values())],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
