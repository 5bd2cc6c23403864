"""The factory and configuration from the environment."""

import os
from pathlib import Path

import pytest

from app import create_app
from app.config import ConfigError, build_config, normalize_database_url


def test_production_without_secret_key_refuses_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINHUB_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app()


def test_production_with_secret_key_starts_with_secure_cookies_and_redis_limits(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TRAINHUB_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s3cret-from-the-environment")
    monkeypatch.setenv("RECORDS_KEY", "r" * 40)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    config = build_config(tmp_path, dict(os.environ), None)
    assert config["SECRET_KEY"] == "s3cret-from-the-environment"
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["RATELIMIT_STORAGE_URI"].startswith("redis://")
    assert not (tmp_path / "secret_key").exists()
    assert config["RECORDS_KEY"] == "r" * 40 and not (tmp_path / "records_key").exists()


def test_production_without_records_key_refuses_to_start(monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    monkeypatch.setenv("TRAINHUB_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s3cret-from-the-environment")
    monkeypatch.delenv("RECORDS_KEY", raising=False)
    with pytest.raises(ConfigError, match="RECORDS_KEY is not set"):
        create_app()
    with pytest.raises(ConfigError, match="RECORDS_KEY is not set"):
        build_config(tmp_path, {"TRAINHUB_ENV": "production", "SECRET_KEY": "x"}, None)
    assert not (tmp_path / "records_key").exists()


@pytest.mark.parametrize("name", ["SECRET_KEY", "RECORDS_KEY"])
def test_production_refuses_the_example_files_placeholders(tmp_path: Path, name: str) -> None:
    settings = {"TRAINHUB_ENV": "production", "SECRET_KEY": "s" * 40, "RECORDS_KEY": "r" * 40,
                name: "replace-with-64-hex-characters-from-secrets-token-hex-32"}
    with pytest.raises(ConfigError, match=f"{name} is still the example's placeholder"):
        build_config(tmp_path, settings, None)
    del settings["TRAINHUB_ENV"]  # development: anything goes
    assert build_config(tmp_path, settings, None)[name] == settings[name]


def test_a_short_records_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="RECORDS_KEY is too short"):
        build_config(tmp_path, {"SECRET_KEY": "x", "RECORDS_KEY": "short"}, None)


def test_development_records_key_and_anchor_live_in_the_instance_folder(
        tmp_path: Path) -> None:
    config = build_config(tmp_path, {"SECRET_KEY": "x"}, None)
    assert build_config(tmp_path, {"SECRET_KEY": "x"}, None)["RECORDS_KEY"] == \
        config["RECORDS_KEY"]
    assert len(config["RECORDS_KEY"]) >= 64 and config["RECORDS_KEY"] != config["SECRET_KEY"]
    assert (tmp_path / "records_key").stat().st_mode & 0o777 == 0o600
    assert config["RECORDS_ANCHOR"] == str(tmp_path / "records_anchor")
    assert config["RECORDS_OLD_KEYS"] == ()
    old = build_config(tmp_path, {"SECRET_KEY": "x", "RECORDS_OLD_KEYS": "a" * 32 + " " +
                                  "b" * 32}, None)["RECORDS_OLD_KEYS"]
    assert old == ("a" * 32, "b" * 32)


def test_an_unknown_anchor_kind_is_refused(make_app) -> None:
    with pytest.raises(ConfigError, match="unknown kind 'ftp'"):
        make_app(RECORDS_ANCHOR="ftp://example.org/anchor")


def test_development_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = build_config(tmp_path, {}, None)["SECRET_KEY"]
    second = build_config(tmp_path, {}, None)["SECRET_KEY"]
    assert first == second
    assert len(first) >= 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_defaults_sqlite_under_instance_and_memory_rate_limits(tmp_path: Path) -> None:
    config = build_config(tmp_path, {"SECRET_KEY": "x"}, None)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'trainhub.db'}"
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert config["SESSION_COOKIE_SECURE"] is False


def test_environment_and_overrides(tmp_path: Path) -> None:
    environ = {"SECRET_KEY": "x", "DATABASE_URL": "postgres://u@db/trainhub",
               "RATELIMIT_STORAGE_URI": "redis://cache:6379/1"}
    config = build_config(tmp_path, environ, {"TESTING": True})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/trainhub"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/1"
    assert config["TESTING"] is True


def test_unknown_environment_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="TRAINHUB_ENV"):
        build_config(tmp_path, {"TRAINHUB_ENV": "staging", "SECRET_KEY": "x"}, None)


@pytest.mark.parametrize(("given", "expected"), [
    ("postgresql://a@b/c", "postgresql+psycopg://a@b/c"),
    ("postgres://a@b/c", "postgresql+psycopg://a@b/c"),
    ("postgresql+psycopg://a@b/c", "postgresql+psycopg://a@b/c"),
    ("sqlite:///x.db", "sqlite:///x.db"),
])
def test_database_urls_use_psycopg3(given: str, expected: str) -> None:
    assert normalize_database_url(given) == expected


def test_factory_wires_blueprints_and_extensions(app) -> None:
    assert {"home", "auth", "admin"} <= set(app.blueprints)
    assert {"sqlalchemy", "migrate", "csrf", "limiter"} <= set(app.extensions)


def test_healthz_reports_the_database(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["database"] == "ok"


def test_healthz_says_when_the_database_is_down(make_app, tmp_path: Path) -> None:
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/x.db")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unavailable"


def test_pages_send_security_headers(client) -> None:
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_mail_and_jobs_settings_come_from_the_environment(tmp_path: Path) -> None:
    embedded = build_config(tmp_path, {}, None)
    assert (embedded["MAIL_SERVER"], embedded["MAIL_BACKEND"]) == (None, "app.mail.eml")
    assert embedded["MAIL_FOLDER"] == str(tmp_path / "mail")
    assert embedded["MAIL_MAX_ATTEMPTS"] == 8 and embedded["MAIL_PORT"] == 25
    assert embedded["JOBS_URL"] == f"sqlite:///{tmp_path / 'jobs.db'}"
    assert embedded["SERVER_NAME"] is None and embedded["PREFERRED_URL_SCHEME"] == "http"
    smtp = build_config(tmp_path, {"MAIL_SERVER": "smtp.example.org", "MAIL_USE_TLS": "yes",
                                   "MAIL_MAX_ATTEMPTS": "3", "JOBS_URL": "redis://cache:6379/1",
                                   "SERVER_NAME": "lms.example.org"}, None)
    assert (smtp["MAIL_BACKEND"], smtp["MAIL_PORT"], smtp["MAIL_USE_TLS"]) == ("smtp", 587, True)
    assert smtp["MAIL_MAX_ATTEMPTS"] == 3 and smtp["JOBS_URL"] == "redis://cache:6379/1"
    assert smtp["SERVER_NAME"] == "lms.example.org"


@pytest.mark.parametrize(("environ", "message"), [
    ({"MAIL_USE_TLS": "1", "MAIL_USE_SSL": "1"}, "exclude each other"),
    ({"MAIL_USE_TLS": "maybe"}, "MAIL_USE_TLS must be true or false"),
    ({"MAIL_PORT": "smtp"}, "MAIL_PORT must be a whole number"),
    ({"MAIL_MAX_ATTEMPTS": "0"}, "MAIL_MAX_ATTEMPTS must be a whole number of at least 1"),
    ({"JOBS_URL": "amqp://queue"}, "JOBS_URL must start with"),
])
def test_wrong_mail_and_jobs_settings_refuse_to_start(tmp_path: Path, environ: dict[str, str],
                                                      message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        build_config(tmp_path, environ, None)
