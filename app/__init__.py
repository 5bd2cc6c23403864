"""TrainHub: a learning management system for biomanufacturing workforce training."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import lazy_gettext
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import build_config
from app.core import assets, boundary, compression, i18n, outages
from app.core.converters import DatabaseIntegerConverter
from app.core.db import configure_postgresql, configure_sqlite, include_name, include_object
from app.core.errors import register_error_handlers
from app.core.formats import format_number, format_percentage
from app.core.headers import set_security_headers
from app.core.languages import language_name
from app.core.zones import (
    format_date,
    format_local,
    format_span,
    machine_time,
    rendering_zone,
)
from app.extensions import csrf, db, limiter, login_manager, migrate


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build a TrainHub app: configuration, extensions, features, error pages."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(build_config(Path(app.instance_path), os.environ, overrides))
    if app.config["TRUSTED_PROXIES"]:
        # Each proxy appends to X-Forwarded-For, so the client is the n-th entry from the
        # end; the proxy nearest the app (nginx, deploy/) sets X-Forwarded-Proto and -Host,
        # replacing what came in: one value each, whatever is in front of it.
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=1, x_host=1)  # type: ignore[method-assign]

    _init_extensions(app)
    # Before the blueprints: each rule takes its converters when it is added.
    app.url_map.converters["int"] = DatabaseIntegerConverter
    _init_features(app)
    register_error_handlers(app)
    _install_request_hooks(app)
    # Last: WhiteNoise wraps the whole app and answers for static files before it.
    assets.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT"])
        elif db.engine.dialect.name == "postgresql":
            configure_postgresql(db.engine)
    migrate.init_app(app, db, directory=str(_project_path("migrations")),
                     render_as_batch=True, compare_type=True, include_name=include_name,
                     include_object=include_object)
    csrf.init_app(app)
    limiter.init_app(app)
    outages.quiet_limiter_log(limiter.logger)
    login_manager.init_app(app)
    i18n.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please log in to see this page.")
    login_manager.login_message_category = "info"

    from app.auth.services import load_session_user

    login_manager.user_loader(load_session_user)


def _init_features(app: Flask) -> None:
    """Each feature wires itself in: its blueprint, and the policies, requirement checks,
    panels and hooks it registers in the app's registries (app/core/registry.py). An app
    has exactly these features' entries; importing a module registers nothing."""
    from app import (
        admin,
        applications,
        auth,
        authoring,
        calls,
        catalog,
        centres,
        certificates,
        classroom,
        content,
        grading,
        home,
        intakes,
        jobs,
        learning,
        mail,
        notifications,
        offers,
        practicals,
        quizzes,
        records,
        reports,
        reviews,
        selection,
    )

    # Hooks and panels run in this order: the dashboard shows certificates before sessions.
    for feature in (jobs, home, auth, admin, mail, notifications, centres, content, records,
                    catalog, learning, quizzes, grading, certificates, classroom, practicals,
                    authoring, intakes, calls, applications, reviews, selection, offers,
                    reports):
        feature.init_app(app)


def _install_request_hooks(app: Flask) -> None:
    # First, so that it runs last (Flask runs these hooks in reverse): it compresses the
    # body and headers that leave.
    compression.init_app(app)
    app.after_request(set_security_headers)
    # After the other hooks: its commit then runs first, before the response leaves.
    boundary.init_app(app)

    from app.core.forms import csrf_field
    from app.core.roles import Role
    from app.core.urls import site_url

    # Globals, not a context processor: nothing to compute per render. The CSRF field never
    # reads the request's body, so an error page for a request too large to read (413)
    # shows the log-out button too.
    app.jinja_env.globals.update(Role=Role, csrf_field=csrf_field, language_name=language_name)

    app.add_template_filter(machine_time, "datetime_attr")
    app.add_template_filter(site_url, "site_url")

    @app.template_filter("local")
    def _local(moment: datetime | None, with_zone: bool = True) -> str:
        """A UTC time on the viewer's own clock (their profile's time zone)."""
        zone = _viewer_zone()
        return format_local(moment, zone, with_zone=with_zone,
                            locale=i18n.current_language())

    @app.template_filter("local_date")
    def _local_date(moment: datetime | None) -> str:
        """The day of a UTC time on the viewer's own clock."""
        zone = _viewer_zone()
        return format_date(moment, zone, locale=i18n.current_language())

    @app.template_filter("local_span")
    def _local_span(start: datetime, end: datetime, zone: str | None = None) -> str:
        """A session's time on the viewer's clock, or in `zone`."""
        if zone is None:
            zone = _viewer_zone()
        return format_span(start, end, zone or "UTC", locale=i18n.current_language())

    @app.template_filter("number")
    def _number(value: float | None, digits: int | None = None) -> str:
        """A number a person reads, in the page's language: '8.5', French '8,5'."""
        if value is None:
            return ""
        return format_number(value, i18n.current_language(), digits=digits)

    @app.template_filter("percent")
    def _percent(points: float | None) -> str:
        """Points out of 100 as a percentage in the page's language: '85%', French '85 %'."""
        if points is None:
            return ""
        return format_percentage(points, i18n.current_language())


def _viewer_zone() -> str:
    """The zone the `local` filters write in: the recipient's while a mail is rendered
    (`zones.shown_in`), else the logged-in viewer's profile's, else UTC."""
    from flask_login import current_user

    zone = rendering_zone()
    if zone is not None:
        return zone
    if current_user and current_user.is_authenticated:
        return str(current_user.timezone or "UTC")
    return "UTC"


def _project_path(name: str) -> Path:
    return Path(__file__).resolve().parent.parent / name
