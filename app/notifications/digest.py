"""The morning digest: each person whose wall clock has just passed 08:00 gets one message
with the entries kept for it since the last one; none when there are none.

The job runs every 15 minutes (`send_digests`). It claims a person's day with one
conditional UPDATE of `users.digest_sent_on` (to that local day, where it was earlier), which
only one worker can win: on PostgreSQL the second UPDATE waits for the first's row lock and
then no longer matches, on SQLite writers are serialized. It commits each person's digest
(claim, queued mail, entries marked) before the next, so a failure later in the run keeps
what was done; which is why it is not a service.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select, update

from app.auth.models import User
from app.extensions import db
from app.jobs import periodic
from app.mail.outbox import queue_mail
from app.mail.render import mail_url, render_mail
from app.notifications.models import Notification
from app.notifications.rules import digest_day
from app.notifications.services import DIGEST, mail_context, unsubscribe_headers


@periodic("notifications.send_digests", minute="*/15")
def send_digests(now: datetime) -> int:
    """Send every digest due at `now`; how many were sent."""
    waiting = select(Notification.user_id).where(Notification.mail == "digest")
    people = db.session.execute(
        select(User.id, User.timezone, User.digest_sent_on)
        .where(User.id.in_(waiting), User.active.is_(True)).order_by(User.id)).all()
    db.session.commit()
    sent = 0
    for person in people:
        day = digest_day(now, person.timezone, person.digest_sent_on)
        if day is not None and claim_digest(person.id, day):
            sent += send_digest(person.id, now)
        db.session.commit()
    return sent


def claim_digest(user_id: int, day: date) -> bool:
    """Take `day`'s digest of one person for this worker: whether it won it."""
    result = db.session.execute(
        update(User).where(User.id == user_id,
                           or_(User.digest_sent_on.is_(None), User.digest_sent_on < day))
        .values(digest_sent_on=day).execution_options(synchronize_session=False))
    return int(result.rowcount or 0) == 1  # type: ignore[attr-defined]


def send_digest(user_id: int, now: datetime) -> int:
    """Queue one person's digest of the entries kept for it (1), or nothing when there are
    none left (0)."""
    user = db.session.get(User, user_id)
    entries = db.session.scalars(select(Notification).where(
        Notification.user_id == user_id, Notification.mail == "digest",
        Notification.created_at <= now).order_by(Notification.created_at, Notification.id)).all()
    if user is None or not entries:
        return 0
    items = [{"subject": entry.subject, "summary": entry.summary, "created_at": entry.created_at,
              "link": _absolute(entry.url)} for entry in entries]
    context = mail_context(user, None, DIGEST, mail_url("notifications.index"))
    rendered = render_mail("notifications/digest", language=user.language,
                           timezone=user.timezone, entries=items, **context)
    queue_mail(to=user.email, rendered=rendered, kind=DIGEST, user_id=user.id, now=now,
               headers=unsubscribe_headers(user.id, DIGEST))
    db.session.execute(update(Notification)
                       .where(Notification.id.in_([entry.id for entry in entries]),
                              Notification.mail == "digest")
                       .values(mail="digested").execution_options(synchronize_session=False))
    return 1


def _absolute(path: str) -> str:
    """An entry's path as a link in a message: under the address the site's mail uses."""
    if not path:
        return mail_url("notifications.index")
    root = mail_url("home.index").rstrip("/")
    return root + path
