"""Notifications: an in-app list with an unread count, each person's choice per kind of
message (immediately, daily digest, off), the morning digest, and one-click unsubscribe.

Features tell people through `services.notify`, from their own services, and register their
kinds in their `init_app` (`kinds.KINDS`). Notifications sits above auth and mail and below
every feature that notifies: it imports none of them.
"""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

from app.extensions import csrf  # noqa: E402
from app.jobs import JOBS  # noqa: E402
from app.mail.outbox import MAIL_FAILED  # noqa: E402
from app.notifications import digest, failed, routes  # noqa: E402
from app.notifications.account import init_account_messages  # noqa: E402
from app.notifications.kinds import KINDS, Audience, Kind, Mode  # noqa: E402


def init_app(app: Flask) -> None:
    """The pages, the digest job, and the staff's notice of a failed mail."""
    app.register_blueprint(bp)
    # RFC 8058: the mail client's one-click POST carries no CSRF token (see routes).
    csrf.exempt(routes.unsubscribe)
    JOBS.register(app, digest.send_digests.name, digest.send_digests)
    KINDS.register(app, failed.KIND, Kind(failed.KIND, _l("A message could not be delivered"),
                                          Audience.STAFF, default=Mode.DIGEST))
    MAIL_FAILED.add(app, failed.tell_administrators)
    init_account_messages(app)
