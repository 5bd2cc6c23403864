"""Mail: messages rendered for their recipient, a durable outbox, and a worker that sends it.

The public API for the features that send mail (docs/architecture.md, "Mail and jobs"):
`render.render_mail`, `outbox.queue_mail` and `outbox.Attachment`; the hooks
`outbox.MAIL_FAILED` and `outbox.MAIL_QUEUED`. The worker's job is `jobs.send_outbox`.
"""

from flask import Blueprint, Flask, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

bp = Blueprint("mail", __name__, url_prefix="/mail")

from app.core.auth import POLICIES  # noqa: E402
from app.extensions import db, mailman  # noqa: E402
from app.jobs import JOBS  # noqa: E402
from app.mail import jobs, routes, services  # noqa: E402, F401
from app.mail.outbox import MAIL_QUEUED, QUEUED  # noqa: E402


def init_app(app: Flask) -> None:
    """Flask-Mailman's connection, the administrators' pages and who may retry a failed
    message, the sending job, and the session hooks that wake a worker after a commit that
    queued mail."""
    mailman.init_app(app)
    app.register_blueprint(bp)
    POLICIES.register(app, "mail.retry", services.may_retry_mail)
    JOBS.register(app, jobs.send_outbox.name, jobs.send_outbox)
    MAIL_QUEUED.add(app, jobs.send_outbox_soon)
    # One session factory serves every app in the process: the hooks go on it once.
    for name, hook in (("after_commit", _wake_worker), ("after_rollback", _forget)):
        if not event.contains(db.session, name, hook):
            event.listen(db.session, name, hook)


def _wake_worker(session: Session) -> None:
    if session.info.pop(QUEUED, False) and has_app_context():
        for hook in MAIL_QUEUED.all():
            hook()


def _forget(session: Session) -> None:
    session.info.pop(QUEUED, None)
