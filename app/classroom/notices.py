"""What the classroom tells people: a learner that a seat came free for them on a session's
waitlist, each registered learner that a session starts tomorrow and in an hour
(`reminders`), and every learner holding a seat or a waitlist place that a session changed
or is cancelled. Each notice carries the session's calendar file, built by `calendar`."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime

from flask import Flask
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.classroom.calendar import CalendarEntry, build_calendar
from app.classroom.queries import SessionRow, holders, session_row
from app.core.i18n import is_language
from app.extensions import db
from app.mail.outbox import Attachment
from app.mail.render import mail_url
from app.notifications.kinds import KINDS, Audience, Kind
from app.notifications.services import Link, notify

SEAT_GRANTED = "classroom.seat_granted"
REMINDER = "classroom.session_reminder"
CHANGED = "classroom.session_changed"
CANCELLED = "classroom.session_cancelled"


def init_notices(app: Flask) -> None:
    KINDS.register(app, SEAT_GRANTED, Kind(SEAT_GRANTED,
                                           _l("A seat came free for you at a live session"),
                                           Audience.LEARNER))
    KINDS.register(app, REMINDER, Kind(REMINDER, _l("A live session of yours starts soon"),
                                       Audience.LEARNER))
    KINDS.register(app, CHANGED, Kind(CHANGED, _l("A live session of yours changed"),
                                      Audience.LEARNER))
    KINDS.register(app, CANCELLED, Kind(CANCELLED, _l("A live session of yours is cancelled"),
                                        Audience.LEARNER))


def calendar_file(row: SessionRow, learner: User, now: datetime, *, waitlisted: bool = False,
                  method: str = "PUBLISH") -> Attachment:
    """The session's calendar file for a learner, in their language, with the join link if
    they hold a seat (a waitlist place: a tentative entry without it): the same UID and
    SEQUENCE as the feed's, so a calendar keeps one entry and applies the latest."""
    session = row.session
    entry = CalendarEntry(
        session=session, course_title=row.course.title, module_title=row.module.title,
        url=mail_url("classroom.session_page", session_id=session.id),
        facilitator=row.facilitator,
        materials=tuple((row.module.session or {}).get("materials", ())),
        show_join_link=not waitlisted, waitlisted=waitlisted)
    language = learner.language
    with force_locale(language) if language and is_language(language) else nullcontext():
        body = build_calendar([entry], name=row.module.title, now=now, method=method)
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


@dataclass(frozen=True)
class Before:
    """A session's time and place before a change, for the notice to say what moved."""

    starts_at: datetime
    ends_at: datetime
    location: str
    join_url: str


def tell_session_changed(session_id: int, before: Before, now: datetime, *,
                         leaving_out: Iterable[int] = ()) -> int:
    """Tell every learner holding a seat or a waitlist place that the session's time, place
    or join link changed, old and new, with the calendar file that updates it. Waitlisted
    learners are told too: a seat may still come to them, and their calendar holds the
    session as tentative. `leaving_out`: those the change itself gave a seat, whose "seat
    granted" notice already carries the new time and place. How many were told."""
    row = session_row(session_id, None)
    if row is None:
        return 0
    session = row.session
    timed = (before.starts_at, before.ends_at) != (session.starts_at, session.ends_at)
    context = {**_context(row), "time_changed": timed,
               "old_starts_at": before.starts_at, "old_ends_at": before.ends_at,
               "place_changed": before.location != session.location,
               "old_location": before.location,
               "link_changed": before.join_url != session.join_url}
    # PUBLISH, as every calendar file of TrainHub is (RFC 5546, 3.2.1): the same UID with a
    # higher SEQUENCE replaces the entry. REQUEST would make the learners attendees whose
    # replies an organizer collects, and TrainHub reads no replies: registering is on the site.
    told = holders(session_id, leaving_out=leaving_out)
    for learner, status in told:
        waitlisted = status == "waitlisted"
        notify(learner, CHANGED, template="notifications/session_changed",
               context={**context, "waitlisted": waitlisted},
               url=Link.to("classroom.session_page", session_id=session_id), now=now,
               attachments=[calendar_file(row, learner, now, waitlisted=waitlisted)])
    return len(told)


def tell_session_cancelled(session_id: int, now: datetime) -> int:
    """Tell every learner holding a seat or a waitlist place that the session is cancelled,
    and why, with a METHOD:CANCEL calendar file that takes it out of their calendar. How
    many were told."""
    row = session_row(session_id, None)
    if row is None:
        return 0
    told = holders(session_id)
    for learner, status in told:
        waitlisted = status == "waitlisted"
        notify(learner, CANCELLED, template="notifications/session_cancelled",
               context={**_context(row), "reason": row.session.cancel_reason,
                        "waitlisted": waitlisted},
               url=Link.to("learning.module", course_slug=row.course.slug,
                           module_slug=row.module.slug), now=now,
               attachments=[calendar_file(row, learner, now, waitlisted=waitlisted,
                                          method="CANCEL")])
    return len(told)
