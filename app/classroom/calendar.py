"""Calendar files (RFC 5545) for live sessions, built with the icalendar library.

Every event carries the session's UID and SEQUENCE, the same in the private feed, a page's
download and a notice's attachment: a calendar keeps one entry per session and applies a
later version over an earlier one. A cancelled session stays in the feed, as
STATUS:CANCELLED, so that a subscribed calendar strikes it out rather than losing track.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Event, vCalAddress

from app.classroom.models import ClassSession

PRODUCT_ID = "-//TrainHub//Live sessions//EN"


@dataclass(frozen=True)
class CalendarEntry:
    session: ClassSession
    course_title: str
    module_title: str
    url: str  # the session's page
    facilitator: str
    materials: tuple[str, ...] = ()
    show_join_link: bool = False
    waitlisted: bool = False


def build_calendar(entries: Iterable[CalendarEntry], *, name: str, now: datetime,
                   method: str = "PUBLISH") -> bytes:
    """The calendar of `entries`; `method` is iTIP's (RFC 5546): PUBLISH for a feed, a
    download and the copy a notice attaches (a change too: a later PUBLISH of the same UID
    with a higher SEQUENCE updates it), CANCEL for the notice of a cancelled session."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    organizer = _organizer()
    for entry in entries:
        event = _event(entry, now)
        event.add("organizer", organizer)
        calendar.add_component(event)
    return calendar.to_ical()


def _organizer() -> vCalAddress:
    """RFC 5546 gives PUBLISH and CANCEL events an ORGANIZER: TrainHub's sender address.
    They carry no ATTENDEE: PUBLISH must not, and an event published without attendees is
    cancelled without them; TrainHub reads no iTIP replies, so none is asked for."""
    name, address = parseaddr(str(current_app.config["MAIL_DEFAULT_SENDER"]))
    organizer = vCalAddress(f"mailto:{address or 'trainhub@localhost'}")
    organizer.params["cn"] = name or "TrainHub"
    return organizer


def _event(entry: CalendarEntry, now: datetime) -> Event:
    session = entry.session
    event = Event()
    event.add("uid", session.uid)
    event.add("dtstamp", now)
    event.add("sequence", session.sequence)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    if session.cancelled_at is not None:
        summary = _("Cancelled: %(module)s (%(course)s)", module=entry.module_title,
                    course=entry.course_title)
    elif entry.waitlisted:
        summary = _("Waitlist: %(module)s (%(course)s)", module=entry.module_title,
                    course=entry.course_title)
    else:
        summary = _("%(module)s (%(course)s)", module=entry.module_title,
                    course=entry.course_title)
    event.add("summary", summary)
    place = session.location or (session.join_url if entry.show_join_link else _("Online"))
    event.add("location", place)
    lines = [_("Facilitator: %(name)s", name=entry.facilitator),
             _("Details: %(url)s", url=entry.url)]
    if session.cancelled_at is not None:
        lines.insert(0, _("Cancelled: %(reason)s", reason=session.cancel_reason))
    if session.join_url and entry.show_join_link:
        lines.append(_("Join: %(url)s", url=session.join_url))
    if entry.materials:
        lines.append(_("Materials: %(materials)s", materials="; ".join(entry.materials)))
    event.add("description", "\n".join(lines))
    event.add("url", entry.url)
    if session.cancelled_at is not None:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "TENTATIVE" if entry.waitlisted else "CONFIRMED")
    return event
