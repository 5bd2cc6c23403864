from __future__ import annotations

from flask import jsonify, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from app.extensions import db, limiter
from app.home import bp


@bp.route("/")
def index() -> str:
    return render_template("home/index.html")


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
