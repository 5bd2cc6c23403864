"""Calendar files (RFC 5545) for live sessions, built with the icalendar library."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from icalendar import Calendar, Event

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
    """The calendar of `entries`; `method` is iTIP's (RFC 5546): PUBLISH for a feed or a
    download, and for the copy a notice attaches."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    for entry in entries:
        calendar.add_component(_event(entry, now))
    return calendar.to_ical()


def _event(entry: CalendarEntry, now: datetime) -> Event:
    session = entry.session
    event = Event()
    event.add("uid", session.uid)
    event.add("dtstamp", now)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    if entry.waitlisted:
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
    if session.join_url and entry.show_join_link:
        lines.append(_("Join: %(url)s", url=session.join_url))
    if entry.materials:
        lines.append(_("Materials: %(materials)s", materials="; ".join(entry.materials)))
    event.add("description", "\n".join(lines))
    event.add("url", entry.url)
    event.add("status", "TENTATIVE" if entry.waitlisted else "CONFIRMED")
    return event
