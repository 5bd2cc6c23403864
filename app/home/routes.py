from __future__ import annotations

from flask import jsonify, render_template
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from app.core.db import autocommit_reads
from app.core.time import now
from app.extensions import db, limiter
from app.home import bp
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
    """For load balancers and monitors: 200 when the app and its database answer."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        db.session.rollback()
        return jsonify(status="error", database="unavailable", detail=type(error).__name__), 503
    return jsonify(status="ok", database="ok", engine=db.engine.dialect.name), 200
