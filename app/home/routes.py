from __future__ import annotations

from flask import jsonify, render_template
from flask_login import current_user
from werkzeug.wrappers import Response

from app.core.db import autocommit_reads
from app.core.time import now
from app.extensions import limiter
from app.home import bp
from app.home.health import check_health
from app.learning.panels import is_staff, todo_items


@bp.route("/")
@autocommit_reads
def index() -> str:
    """The front page; for a signed-in staff member, what waits for them first."""
    todo = todo_items(current_user, now()) if current_user.is_authenticated else []
    return render_template("home/index.html", todo=todo,
                           staff=current_user.is_authenticated and is_staff(current_user))


@bp.route("/healthz")
@limiter.exempt
def healthz() -> tuple[Response, int]:
    """For load balancers and monitors: each dependency's state (app/home/health.py); 200
    while the node can serve log-ins and pages, even degraded, 503 when it cannot."""
    health = check_health(now())
    return jsonify(health.as_json()), 200 if health.serving else 503
