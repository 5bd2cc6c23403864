"""Configuration: safe defaults, overridden by the environment, then by `create_app(overrides)`.

Everything an operator sets is an environment variable (see README, "Configuration").
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ENVIRONMENTS = ("development", "production")
MIN_RECORDS_KEY_LENGTH = 32


# How the secrets of deploy/trainhub.env.example begin; production refuses them.
PLACEHOLDER_PREFIX = "replace-with-"


class ConfigError(RuntimeError):
    """The environment does not describe a configuration the app can start with."""


def normalize_database_url(url: str) -> str:
    """Point PostgreSQL URLs at psycopg 3, whatever spelling the operator used."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


JOBS_URL_SCHEMES = ("sqlite:///", "redis://", "rediss://", "memory://")
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})


def _flag(environ: Mapping[str, str], name: str) -> bool:
    value = environ.get(name, "").strip().lower()
    if value not in _TRUE | _FALSE:
        raise ConfigError(f"{name} must be true or false (1/0, yes/no, on/off), not {value!r}")
    return value in _TRUE


def _whole_number(environ: Mapping[str, str], name: str, default: int, *, least: int) -> int:
    value = environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < least:
        raise ConfigError(f"{name} must be a whole number of at least {least}, not {value!r}")
    return int(value)


def _development_secret_key(instance_path: Path, name: str = "secret_key") -> str:
    """Generate a secret key once and keep it in the instance folder, readable by us only."""
    key_file = instance_path / name
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _key(name: str, file_name: str, instance_path: Path, environ: Mapping[str, str],
         overrides: Mapping[str, Any], production: bool, *, why: str, after: str = "") -> str:
    """A secret from the overrides or the environment; in development, made once into the
    instance folder; in production, a refusal to start without it."""
    key = overrides.get(name) or environ.get(name)
    if key and production and str(key).startswith(PLACEHOLDER_PREFIX):
        # deploy/trainhub.env.example's own value, left in: a secret everyone can read.
        raise ConfigError(
            f"{name} is still the example's placeholder ({key!r}): replace it with a long "
            f"random value of your own{after}.")
    if key:
        return str(key)
    if production:
        raise ConfigError(
            f"{name} is not set. In production TrainHub refuses to start without {why}: set "
            f"{name} to a long random value (for example the output of "
            f"`python -c 'import secrets; print(secrets.token_hex(32))'`){after}.")
    return _development_secret_key(instance_path, file_name)


def build_config(
    instance_path: Path, environ: Mapping[str, str], overrides: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Return the app's configuration for this environment.

    `overrides` win over the environment; tests use them to point at their own database.
    """
    overrides = dict(overrides or {})
    env = overrides.get("TRAINHUB_ENV", environ.get("TRAINHUB_ENV", "development"))
    if env not in ENVIRONMENTS:
        raise ConfigError(f"TRAINHUB_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    production = env == "production"

    database_url = environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'trainhub.db'}"

    secret_key = _key("SECRET_KEY", "secret_key", instance_path, environ, overrides, production,
                      why="one")
    records_key = _key(
        "RECORDS_KEY", "records_key", instance_path, environ, overrides, production,
        why="the key that seals the audit chain",
        after=", kept off the database host, and never change it without "
              "`flask records rotate-key` (docs/records.md)")
    if len(records_key) < MIN_RECORDS_KEY_LENGTH:
        raise ConfigError(f"RECORDS_KEY is too short: use at least {MIN_RECORDS_KEY_LENGTH} "
                          "random characters.")

    mail_server = environ.get("MAIL_SERVER", "").strip()
    mail_use_tls = _flag(environ, "MAIL_USE_TLS")
    mail_use_ssl = _flag(environ, "MAIL_USE_SSL")
    if mail_use_tls and mail_use_ssl:
        raise ConfigError("MAIL_USE_TLS and MAIL_USE_SSL exclude each other: STARTTLS on the "
                          "submission port (587) is MAIL_USE_TLS, TLS from the start (465) is "
                          "MAIL_USE_SSL.")
    mail_port = _whole_number(environ, "MAIL_PORT", 465 if mail_use_ssl else 587 if
                              mail_use_tls else 25, least=1)
    mail_max_attempts = _whole_number(environ, "MAIL_MAX_ATTEMPTS", 8, least=1)
    essay_reminder_days = _whole_number(environ, "ESSAY_REMINDER_DAYS", 3, least=1)
    jobs_url = environ.get("JOBS_URL") or f"sqlite:///{instance_path / 'jobs.db'}"
    if not jobs_url.startswith(JOBS_URL_SCHEMES):
        raise ConfigError(f"JOBS_URL must start with {', '.join(JOBS_URL_SCHEMES)}, not "
                          f"{jobs_url!r}")
    server_name = environ.get("SERVER_NAME", "").strip() or None
    require_verification = (_flag(environ, "REQUIRE_EMAIL_VERIFICATION")
                            if environ.get("REQUIRE_EMAIL_VERIFICATION", "").strip()
                            else production)

    default_ratelimit_storage = "redis://127.0.0.1:6379/0" if production else "memory://"
    ratelimit_storage = str(overrides.get("RATELIMIT_STORAGE_URI") or environ.get(
        "RATELIMIT_STORAGE_URI", default_ratelimit_storage))
    config: dict[str, Any] = {
        "TRAINHUB_ENV": env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": normalize_database_url(database_url),
        # Busy timeout for SQLite writers waiting on each other, in seconds.
        "SQLITE_BUSY_TIMEOUT": float(environ.get("SQLITE_BUSY_TIMEOUT", "15")),
        "RATELIMIT_STORAGE_URI": ratelimit_storage,
        "RATELIMIT_HEADERS_ENABLED": True,
        # A store that does not answer (Redis stopped, a mistyped address) must not stop
        # the pages it limits: Flask-Limiter then counts in this process's memory, tries
        # the store again after 1, 2, 4... 32 s, and its errors are logged, not raised (once
        # a minute: app/core/outages.py). The log-in limits are counted in the database and
        # never depend on it. The timeouts keep an unreachable host from holding a request.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_STORAGE_OPTIONS": ({"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
                                      if ratelimit_storage.startswith("redis") else {}),
        # Failed logins allowed before the form answers 429, counted in the database so that
        # every worker and node sees the same count (app.auth.lockout). Per account protects
        # one person's password; per address is generous because a whole training centre may
        # share one NAT.
        "LOGIN_LIMIT_PER_ACCOUNT": environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes"),
        "LOGIN_LIMIT_PER_ADDRESS": environ.get("LOGIN_LIMIT_PER_ADDRESS", "50 per 15 minutes"),
        # Number of reverse proxies in front of the app whose X-Forwarded-* headers we trust.
        "TRUSTED_PROXIES": int(environ.get("TRUSTED_PROXIES", "0")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "WTF_CSRF_TIME_LIMIT": None,  # a token lives as long as the session: long quizzes
        # Werkzeug refuses larger requests (413) before reading them: a course archive may
        # be 20 MB (authoring.archive), with room for the form around it.
        "MAX_CONTENT_LENGTH": 25 * 1024 * 1024,
        # The audit chain's key, and the keys it used before (space-separated, any order),
        # which `records verify` needs for the events they sealed.
        "RECORDS_KEY": records_key,
        "RECORDS_OLD_KEYS": tuple(environ.get("RECORDS_OLD_KEYS", "").split()),
        # Where each committed batch of events leaves its last link (a path or a URL).
        "RECORDS_ANCHOR": environ.get("RECORDS_ANCHOR") or str(instance_path / "records_anchor"),
        # Where the static files are copied under digested names with their compressed
        # forms, when the app starts (app/core/assets.py).
        "STATIC_BUILD_FOLDER": environ.get("STATIC_BUILD_FOLDER") or str(
            instance_path / "static"),
        # The interface's language for a visitor whose browser asks for none TrainHub has.
        "DEFAULT_LOCALE": environ.get("DEFAULT_LOCALE", "en"),
        # Links in e-mail are built from these (app/mail/render.py), never from a request's
        # Host header. Unset in development: mail then links to the request's host, or to
        # localhost outside a request.
        "SERVER_NAME": server_name,
        "PREFERRED_URL_SCHEME": environ.get("PREFERRED_URL_SCHEME",
                                            "https" if production else "http"),
        # Mail goes through the outbox (app/mail/outbox.py) to this SMTP server; without one,
        # each message is written as an .eml file into MAIL_FOLDER instead, for an
        # administrator to read at /mail/files.
        "MAIL_SERVER": mail_server or None,
        "MAIL_PORT": mail_port,
        "MAIL_USE_TLS": mail_use_tls,
        "MAIL_USE_SSL": mail_use_ssl,
        "MAIL_USERNAME": environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": environ.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": environ.get("MAIL_DEFAULT_SENDER", "TrainHub <trainhub@localhost>"),
        "MAIL_TIMEOUT": 30,  # seconds for one SMTP exchange; the claim's lease covers a batch
        "MAIL_FOLDER": environ.get("MAIL_FOLDER") or str(instance_path / "mail"),
        "MAIL_MAX_ATTEMPTS": mail_max_attempts,
        "ESSAY_REMINDER_DAYS": essay_reminder_days,
        # Where the background jobs' queue lives (app/jobs): a SQLite file by default,
        # redis://... when workers run on several nodes, memory:// for the tests.
        "JOBS_URL": jobs_url,
        "JOBS_WORKERS": _whole_number(environ, "JOBS_WORKERS", 2, least=1),
        # A new account must follow the link sent to its address before it can log in
        # (app/auth/verification.py): on by default in production, off in development.
        "REQUIRE_EMAIL_VERIFICATION": require_verification,
        # Asking for a password-reset link (or a new confirmation link): per e-mail address
        # asked about, and per client, whether or not the address has an account.
        "PASSWORD_RESET_LIMIT_PER_ACCOUNT": environ.get("PASSWORD_RESET_LIMIT_PER_ACCOUNT",
                                                        "3 per hour"),
        "PASSWORD_RESET_LIMIT_PER_ADDRESS": environ.get("PASSWORD_RESET_LIMIT_PER_ADDRESS",
                                                        "20 per hour"),
        "USERS_PER_PAGE": 50,
        "EVENTS_PER_PAGE": 100,
    }
    config.update(overrides)
    # After the overrides, so that a test that names a server gets SMTP.
    config.setdefault("MAIL_BACKEND", "smtp" if config["MAIL_SERVER"] else "app.mail.eml")
    # A server can drop a pooled connection; a SQLite file cannot, so it is not pinged. A
    # server that does not answer at all is given up on after a few seconds, so that the
    # request gets its 503 (app/core/outages.py) instead of waiting on TCP for minutes.
    sqlite = config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True, "connect_args": {
        "connect_timeout": 5}} if not sqlite else {"pool_pre_ping": False})
    return config
