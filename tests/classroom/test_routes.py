"""Live-session pages through the test client: time zones, who sees what, calendars."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar
from sqlalchemy import select

from app.classroom.models import Attendance, CalendarFeed, ClassSession
from app.classroom.services import Mark, record_attendance, register_for_session
from app.extensions import db
from tests.blended import Gxp
from tests.catalogs import Messages
from tests.conftest import committed, count_queries, login
from tests.course_files import ModuleFile

NINE_IN_SEOUL = datetime(2026, 3, 9, 0, 0, tzinfo=UTC)


def test_an_instructor_schedules_through_the_form(client, gxp: Gxp) -> None:
    login(client, gxp.instructor.email)
    page = client.get(f"/classroom/courses/{gxp.course.slug}/schedule?module=deviation-workshop")
    assert page.status_code == 200 and b"Deviation investigation workshop" in page.data
    form = {"module": gxp.workshop.id, "date": "2026-03-09", "start": "09:00", "end": "12:00",
            "timezone": "Asia/Seoul", "capacity": "", "facilitator": gxp.instructor.id,
            "location": "Room 4, Songdo campus", "join_url": ""}
    bad = client.post(f"/classroom/courses/{gxp.course.slug}/schedule",
                      data={**form, "end": "08:00"})
    assert bad.status_code == 200
    assert b"The session must end after it starts." in bad.data
    done = client.post(f"/classroom/courses/{gxp.course.slug}/schedule", data=form)
    assert done.status_code == 302
    session = db.session.scalar(select(ClassSession))
    assert session is not None
    assert (session.starts_at, session.capacity, session.timezone) == (
        NINE_IN_SEOUL, 24, "Asia/Seoul")


def test_a_session_at_nine_in_seoul_shows_as_one_in_lagos(client, gxp: Gxp) -> None:
    session = gxp.schedule(gxp.workshop, NINE_IN_SEOUL)
    amina = gxp.learners[0]
    amina.timezone = "Africa/Lagos"
    gxp.instructor.timezone = "Asia/Seoul"
    db.session.commit()
    login(client, amina.email)
    page = client.get(f"/classroom/{session.id}/").get_data(as_text=True)
    assert "Mon 9 Mar 2026, 01:00 to 03:00 (Africa/Lagos)" in page
    assert "Where it takes place: Mon 9 Mar 2026, 09:00" in page
    client.post("/auth/logout")
    login(client, gxp.instructor.email)
    page = client.get(f"/classroom/{session.id}/").get_data(as_text=True)
    assert "Mon 9 Mar 2026, 09:00 to 11:00 (Asia/Seoul)" in page


def test_learners_register_and_see_their_place(client, gxp: Gxp) -> None:
    session = gxp.schedule(gxp.workshop, NINE_IN_SEOUL, capacity=1)
    db.session.commit()
    amina, kim = gxp.learners
    login(client, amina.email)
    client.post(f"/classroom/{session.id}/register")
    client.post("/auth/logout")
    login(client, kim.email)
    page = client.get(f"/classroom/{session.id}/")
    assert b"Join the waitlist" in page.data
    answer = client.post(f"/classroom/{session.id}/register", follow_redirects=True)
    assert b"you are on the waitlist" in answer.data and b"Waitlist: place 1" in answer.data
    dashboard = client.get("/learning/dashboard")
    assert b"Upcoming live sessions" in dashboard.data and b"waitlist" in dashboard.data


def test_join_links_only_for_seated_learners(client, gxp: Gxp, make_course, clock) -> None:
    from app.classroom.services import Schedule, schedule_session
    from app.learning.services import assign_staff, enrol

    online = make_course("online-gmp", [ModuleFile("live-cases", session={
        "attendance": "required", "capacity": 5})])  # virtual with a session: online
    assign_staff(gxp.admin, online, gxp.instructor, "instructor", clock())
    module = online.modules[0]
    session = schedule_session(gxp.instructor, online, Schedule(
        module, NINE_IN_SEOUL, NINE_IN_SEOUL.replace(hour=2), "Asia/Seoul", None,
        gxp.instructor, join_url="https://meet.example.org/secret-room"), clock())
    amina, kim = gxp.learners
    for learner in gxp.learners:
        assert enrol(learner, online, clock()).status == "active"
    register_for_session(amina, session, clock())
    db.session.commit()
    login(client, kim.email)
    assert b"secret-room" not in client.get(f"/classroom/{session.id}/").data
    assert b"secret-room" not in client.get(f"/classroom/{session.id}/session.ics").data
    client.post("/auth/logout")
    login(client, amina.email)
    assert b"secret-room" in client.get(f"/classroom/{session.id}/").data
    ics = client.get(f"/classroom/{session.id}/session.ics")
    assert ics.mimetype == "text/calendar"
    event = next(iter(Calendar.from_ical(ics.data).walk("VEVENT")))
    assert str(event["location"]) == "https://meet.example.org/secret-room"


def test_a_learner_cannot_take_attendance(client, gxp: Gxp, clock) -> None:
    session = gxp.schedule(gxp.workshop, NINE_IN_SEOUL)
    amina = gxp.learners[0]
    register_for_session(amina, session, clock())
    db.session.commit()
    clock.current = NINE_IN_SEOUL
    for user in (amina, gxp.outsider):
        login(client, user.email)
        assert client.get(f"/classroom/{session.id}/attendance").status_code == 403
        assert client.post(f"/classroom/{session.id}/attendance",
                           data={f"mark-{amina.id}": "present"}).status_code == 403
        assert client.get(f"/classroom/{session.id}/sign-in-sheet").status_code == 403
        client.post("/auth/logout")
    assert db.session.scalar(select(Attendance)) is None
    login(client, gxp.instructor.email)
    sheet = client.get(f"/classroom/{session.id}/sign-in-sheet")
    assert sheet.status_code == 200 and amina.name.encode() in sheet.data
    saved = client.post(f"/classroom/{session.id}/attendance",
                        data={f"mark-{amina.id}": "present", f"note-{amina.id}": "on time"},
                        follow_redirects=True)
    assert b"Attendance saved (1 change)" in saved.data
    mark = db.session.scalar(select(Attendance))
    assert mark is not None and (mark.mark, mark.note) == ("present", "on time")


def test_an_unknown_attendance_status_is_shown_next_to_the_learner(client, gxp: Gxp,
                                                                     clock) -> None:
    """One wrong status refuses the whole sheet: the other learner's good mark is not saved
    on its own, and the page keeps what was typed."""
    session = gxp.schedule(gxp.workshop, NINE_IN_SEOUL)
    amina, kim = gxp.learners
    for learner in gxp.learners:
        register_for_session(learner, session, clock())
    db.session.commit()
    clock.current = NINE_IN_SEOUL
    login(client, gxp.instructor.email)
    bad = client.post(f"/classroom/{session.id}/attendance",
                      data={f"mark-{amina.id}": "present", f"note-{amina.id}": "on time",
                            f"mark-{kim.id}": "asleep", f"note-{kim.id}": "dozed off"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 200
    assert (f'<p class="field-error" id="mark-{kim.id}-error">Choose present, late, absent '
            "or excused.</p>") in page
    assert f'aria-describedby="mark-{kim.id}-error"' in page
    assert f'id="mark-{amina.id}-error"' not in page
    assert 'value="on time"' in page and 'value="dozed off"' in page
    assert f'value="present" id="mark-{amina.id}-present"' in page
    assert page.split(f'id="mark-{amina.id}-present"')[1].split(">")[0].endswith(" checked")
    assert committed(select(db.func.count()).select_from(Attendance)) == 0
    stranger = client.post(f"/classroom/{session.id}/attendance",
                           data={f"mark-{amina.id}": "present",
                                 f"mark-{gxp.outsider.id}": "asleep"})
    assert stranger.status_code == 200  # no line to show it on: said above the form
    assert '<div class="form-errors" role="alert">' in stranger.get_data(as_text=True)
    assert committed(select(db.func.count()).select_from(Attendance)) == 0


def test_the_private_calendar_feed(client, gxp: Gxp, clock) -> None:
    session = gxp.schedule(gxp.workshop, NINE_IN_SEOUL)
    amina = gxp.learners[0]
    register_for_session(amina, session, clock())
    db.session.commit()
    login(client, amina.email)
    assert b"Create my calendar address" in client.get("/classroom/calendar").data
    client.post("/classroom/calendar")
    feed = db.session.scalar(select(CalendarFeed))
    assert feed is not None
    client.post("/auth/logout")
    answer = client.get(f"/classroom/feed/{feed.token}.ics")  # no login: the token is the key
    assert answer.status_code == 200
    events = list(Calendar.from_ical(answer.data).walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == [session.uid]
    assert client.get("/classroom/feed/not-the-token.ics").status_code == 404
    old = feed.token
    login(client, amina.email)
    client.post("/classroom/calendar")
    db.session.expire_all()
    assert client.get(f"/classroom/feed/{old}.ics").status_code == 404


def test_the_dashboard_stays_within_its_statement_budget(client, gxp: Gxp, clock) -> None:
    amina = gxp.learners[0]
    for day in range(1, 20):
        session = gxp.schedule(gxp.workshop, NINE_IN_SEOUL.replace(month=4, day=day))
        register_for_session(amina, session, clock())
    db.session.commit()
    login(client, amina.email)
    client.get("/learning/dashboard")
    with count_queries() as statements:
        assert client.get("/learning/dashboard").status_code == 200
    assert len(statements) <= 8


def test_attendance_marks_show_on_the_training_record(client, gxp: Gxp, clock) -> None:
    session = gxp.schedule(gxp.workshop, NINE_IN_SEOUL)
    amina = gxp.learners[0]
    register_for_session(amina, session, clock())
    record_attendance(gxp.instructor, session, {amina.id: Mark("present")}, NINE_IN_SEOUL)
    db.session.commit()
    login(client, amina.email)
    record = client.get(f"/records/learners/{amina.id}")
    assert b"Attendance recorded" in record.data


def test_the_feed_shows_join_links_by_the_policy_in_one_statement(gxp: Gxp, clock) -> None:
    """The calendar feed decides every session's join link from the rows it read, with the
    viewer's staff roles read once, and decides as the policy does."""
    from app.classroom.queries import course_sessions
    from app.classroom.services import join_links_seen
    from app.core.auth import can

    sessions = [gxp.schedule(gxp.workshop, NINE_IN_SEOUL.replace(day=day), capacity=1)
                for day in (9, 10, 11)]
    amina, kim = gxp.learners
    register_for_session(amina, sessions[0], clock())
    register_for_session(kim, sessions[0], clock())  # waitlisted: one seat
    register_for_session(kim, sessions[1], clock())
    db.session.commit()
    for viewer in (amina, kim, gxp.instructor, gxp.admin, gxp.outsider):
        rows = course_sessions(gxp.course, viewer.id)
        with count_queries() as statements:
            seen = join_links_seen(viewer, rows)
        assert len(statements) == 1, viewer.email
        assert seen == {row.session.id for row in rows
                        if can(viewer, "session.see_join_link", row.session)}, viewer.email
    assert join_links_seen(amina, course_sessions(gxp.course, amina.id)) == {sessions[0].id}


FRENCH: Messages = {
    "Waitlist: %(module)s (%(course)s)": "Liste d'attente : %(module)s (%(course)s)",
    "%(module)s (%(course)s)": "%(module)s (%(course)s)",
    "Facilitator: %(name)s": "Animation : %(name)s",
    "Details: %(url)s": "Détails : %(url)s",
    "TrainHub sessions": "Sessions TrainHub",
    "Waitlist: place %(place)s": "Liste d'attente : place %(place)s",
}


def test_calendar_files_speak_the_learners_language(gxp: Gxp, clock, make_translated_app) -> None:
    """The session's file in the language of the page it is downloaded from; the private
    feed, which a calendar application fetches without a session, in the profile's."""
    session = gxp.schedule(gxp.workshop, NINE_IN_SEOUL, capacity=1)
    amina, kim = gxp.learners
    register_for_session(amina, session, clock())
    register_for_session(kim, session, clock())  # the seat is taken: the waitlist
    kim.language = "fr"
    db.session.commit()
    french = make_translated_app("fr", FRENCH)
    visitor = french.test_client()
    login(visitor, kim.email)
    page = visitor.get(f"/classroom/{session.id}/").get_data(as_text=True)
    assert "Liste d'attente : place 1" in page
    ics = visitor.get(f"/classroom/{session.id}/session.ics")
    event = next(iter(Calendar.from_ical(ics.data).walk("VEVENT")))
    assert str(event["summary"]).startswith("Liste d'attente : ")
    assert f"Animation : {gxp.instructor.name}" in str(event["description"])
    visitor.post("/classroom/calendar")
    visitor.post("/auth/logout")
    token = committed(select(CalendarFeed.token).where(CalendarFeed.user_id == kim.id))
    assert token is not None
    calendar = Calendar.from_ical(visitor.get(f"/classroom/feed/{token}.ics").data)
    assert str(calendar["x-wr-calname"]) == "Sessions TrainHub"
    assert "Détails : " in str(next(iter(calendar.walk("VEVENT")))["description"])
