"""What the classroom tells people: a learner that a seat came free for them on a session's
waitlist, and each registered learner that a session starts tomorrow and in an hour
(`reminders`). Each notice carries the session's calendar file, built by `calendar`."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext
from datetime import datetime

from flask import Flask
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.classroom.calendar import CalendarEntry, build_calendar
from app.classroom.queries import SessionRow, session_row
from app.core.i18n import is_language
from app.extensions import db
from app.mail.outbox import Attachment
from app.mail.render import mail_url
from app.notifications.kinds import KINDS, Audience, Kind
from app.notifications.services import Link, notify

SEAT_GRANTED = "classroom.seat_granted"
REMINDER = "classroom.session_reminder"


def init_notices(app: Flask) -> None:
    KINDS.register(app, SEAT_GRANTED, Kind(SEAT_GRANTED,
                                           _l("A seat came free for you at a live session"),
                                           Audience.LEARNER))
    KINDS.register(app, REMINDER, Kind(REMINDER, _l("A live session of yours starts soon"),
                                       Audience.LEARNER))


def calendar_file(row: SessionRow, learner: User, now: datetime) -> Attachment:
    """The session's calendar file for a registered learner, in their language, with the
    join link (they hold a seat): the same UID as the feed's, so a calendar keeps one entry."""
    session = row.session
    entry = CalendarEntry(
        session=session, course_title=row.course.title, module_title=row.module.title,
        url=mail_url("classroom.session_page", session_id=session.id),
        facilitator=row.facilitator,
        materials=tuple((row.module.session or {}).get("materials", ())),
        show_join_link=True)
    language = learner.language
    with force_locale(language) if language and is_language(language) else nullcontext():
        body = build_calendar([entry], name=row.module.title, now=now)
    return Attachment(f"trainhub-session-{session.id}.ics", body, "text/calendar")


def _context(row: SessionRow) -> dict[str, object]:
    session = row.session
    return {"module_title": row.module.title, "course_title": row.course.title,
            "starts_at": session.starts_at, "ends_at": session.ends_at,
            "location": session.location, "online": bool(session.join_url),
            "facilitator": row.facilitator}


def tell_seats_granted(session_id: int, user_ids: Iterable[int], now: datetime) -> None:
    """Tell each learner promoted from the waitlist that they hold a seat now."""
    ids = list(user_ids)
    if not ids:
        return
    row = session_row(session_id, None)
    if row is None:
        return
    for user_id in ids:
        learner = db.session.get(User, user_id)
        if learner is None:
            continue
        notify(learner, SEAT_GRANTED, template="notifications/session_seat_granted",
               context=_context(row),
               url=Link.to("classroom.session_page", session_id=session_id), now=now,
               attachments=[calendar_file(row, learner, now)])


def tell_reminder(row: SessionRow, learner: User, which: str, now: datetime) -> None:
    """Remind a registered learner of a session: `which` is "day" or "hour"."""
    notify(learner, REMINDER, template="notifications/session_reminder",
           context={**_context(row), "which": which},
           url=Link.to("classroom.session_page", session_id=row.session.id), now=now,
           attachments=[calendar_file(row, learner, now)])
