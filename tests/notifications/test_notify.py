"""Notifications: the kinds' rules, notify() by preference, the digest, unsubscribe, the pages
and the events that notify."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, date, datetime, timedelta
from typing import cast

import pytest
from flask import g
from sqlalchemy import func, select

from app.auth.models import User
from app.auth.services import change_password
from app.core.errors import ValidationError
from app.extensions import db
from app.learning.services import decide_enrolment, enrol
from app.mail.models import OutboxMessage
from app.notifications.digest import claim_digest, send_digests
from app.notifications.kinds import KINDS, Audience, Kind, Mode, kinds_for, mode_field
from app.notifications.models import Notification
from app.notifications.rules import digest_day
from app.notifications.services import (
    Link,
    notify,
    set_preferences,
    unsubscribe_token,
)
from tests.conftest import DEFAULT_PASSWORD, count_queries, login
from tests.parallel import in_parallel

ENROLMENT = "enrolment.decided"
PASSWORD = "account.password_changed"


def _outbox(user: User) -> list[email.message.EmailMessage]:
    rows = db.session.scalars(select(OutboxMessage.message).where(
        OutboxMessage.user_id == user.id).order_by(OutboxMessage.id)).all()
    return [email.message_from_bytes(row, policy=email.policy.default)
            for row in rows]


def _text(message: email.message.EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    assert user is not None
    return user


def _entry(entry_id: int) -> Notification:
    entry = db.session.get(Notification, entry_id)
    assert entry is not None
    return entry


def _entries(user: User) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.id)))


def _tell(user: User, now: datetime, *, accepted: bool = True) -> Notification:
    return notify(user, ENROLMENT, template="notifications/enrolment_decided",
                  context={"accepted": accepted, "course_title": "GMP basics", "reason": ""},
                  url=Link.to("catalog.index"), now=now)


# --- pure rules -------------------------------------------------------------------------------

def test_a_kind_mode_follows_the_choice_but_a_security_kind_always_mails() -> None:
    plain = Kind("a.b", "A", Audience.LEARNER, default=Mode.DIGEST)
    security = Kind("a.c", "C", Audience.EVERYONE, security=True)
    assert plain.mode_for(None) is Mode.DIGEST
    assert plain.mode_for(Mode.OFF) is Mode.OFF
    assert security.mode_for(Mode.OFF) is Mode.IMMEDIATELY
    staff = Kind("a.d", "D", Audience.STAFF)
    assert kinds_for([plain, staff], staff=False) == [plain]
    assert kinds_for([plain, staff], staff=True) == [plain, staff]
    assert mode_field("enrolment.decided") == "mode_enrolment__decided"


def test_the_digest_is_due_once_in_the_morning_window_of_the_person_zone() -> None:
    # 08:10 in Seoul is 23:10 UTC the day before.
    seoul_morning = datetime(2026, 3, 1, 23, 10, tzinfo=UTC)
    assert digest_day(seoul_morning, "Asia/Seoul", None) == date(2026, 3, 2)
    assert digest_day(seoul_morning, "Asia/Seoul", date(2026, 3, 2)) is None
    assert digest_day(seoul_morning, "Asia/Seoul", date(2026, 3, 1)) == date(2026, 3, 2)
    assert digest_day(seoul_morning, "Africa/Lagos", None) is None  # 00:10 there
    assert digest_day(seoul_morning - timedelta(minutes=15), "Asia/Seoul", None) is None
    assert digest_day(seoul_morning + timedelta(hours=2), "Asia/Seoul", None) is None


def test_every_feature_registers_its_kinds(app) -> None:
    keys = set(KINDS.entries(app))
    assert {"account.password_changed", "account.new_device", "enrolment.decided",
            "enrolment.requested", "grading.results_released", "practicals.signoff_recorded",
            "practicals.signoff_requested", "certificates.issued", "mail.failed"} <= keys
    assert KINDS.get("account.password_changed", app).security


# --- notify() ---------------------------------------------------------------------------------

def test_notify_makes_an_entry_and_mails_it_at_once_with_one_click_unsubscribe(
        app, people, clock) -> None:
    amina = people["amina"]
    entry = _tell(amina, clock())
    db.session.commit()
    assert entry.subject == "You are enrolled in GMP basics"
    assert entry.summary == "Your request to join GMP basics was accepted."
    assert entry.url == "/catalog/" and entry.mail == "queued"
    assert _user(amina.id).unread_notifications == 1
    [message] = _outbox(amina)
    assert message["Subject"] == entry.subject
    assert re.fullmatch(r"<http://localhost/notifications/unsubscribe/[\w.-]+>",
                        message["List-Unsubscribe"].strip())
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = _text(message)
    assert "Stop this kind of message: http://localhost/notifications/unsubscribe/" in text


def test_notify_follows_the_preference_digest_and_off(app, people, clock) -> None:
    amina = people["amina"]
    set_preferences(amina, {ENROLMENT: Mode.DIGEST}, clock())
    assert _tell(amina, clock()).mail == "digest"
    set_preferences(amina, {ENROLMENT: Mode.OFF}, clock())
    assert _tell(amina, clock()).mail == "none"
    db.session.commit()
    assert _outbox(amina) == []
    assert len(_entries(amina)) == 2
    assert _user(amina.id).unread_notifications == 2


def test_a_security_kind_is_always_mailed_and_cannot_be_turned_off(app, people, clock) -> None:
    amina = people["amina"]
    with pytest.raises(ValidationError, match="cannot be turned off") as refused:
        set_preferences(amina, {PASSWORD: Mode.OFF}, clock())
    assert refused.value.field == mode_field(PASSWORD)
    amina.session_token = None
    change_password(amina, current=DEFAULT_PASSWORD, new="a new long passphrase 42",
                    now=clock())
    db.session.commit()
    [message] = _outbox(amina)
    assert message["Subject"] == "Your TrainHub password was changed"
    # A one-click unsubscribe that could do nothing is not offered.
    assert message["List-Unsubscribe"] is None
    assert "cannot be turned off" in _text(message)


def test_a_rolled_back_change_leaves_neither_entry_nor_mail(app, people, clock) -> None:
    amina = people["amina"]
    _tell(amina, clock())
    db.session.rollback()
    assert _entries(amina) == [] and _outbox(amina) == []
    assert _user(amina.id).unread_notifications == 0


def test_an_entry_is_written_in_the_person_language(app, people, clock) -> None:
    kim = people["kim"]
    kim.language = "fr"
    entry = _tell(kim, clock())
    assert entry.subject == "Vous êtes inscrit(e) au cours GMP basics"
    assert entry.summary == ("Votre demande d\N{RIGHT SINGLE QUOTATION MARK}inscription au "
                             "cours GMP basics a été acceptée.")


# --- the digest -------------------------------------------------------------------------------

def test_the_digest_goes_out_once_at_the_person_morning_and_not_when_empty(
        app, people, clock) -> None:
    amina, kim = people["amina"], people["kim"]
    amina.timezone = "Africa/Lagos"  # UTC+1
    for person in (amina, kim):
        set_preferences(person, {ENROLMENT: Mode.DIGEST}, clock())
    _tell(amina, clock())
    _tell(amina, clock(), accepted=False)
    db.session.commit()
    before = datetime(2026, 5, 4, 6, 50, tzinfo=UTC)  # 07:50 in Lagos
    assert send_digests(before) == 0
    morning = datetime(2026, 5, 4, 7, 5, tzinfo=UTC)  # 08:05 in Lagos
    assert send_digests(morning) == 1
    assert send_digests(morning + timedelta(minutes=15)) == 0  # once a day
    [digest] = _outbox(amina)
    assert digest["Subject"] == "Your TrainHub digest: 2 notifications"
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = _text(digest)
    assert "You are enrolled in GMP basics" in text and "was declined" in text
    assert {entry.mail for entry in _entries(amina)} == {"digested"}
    assert _outbox(kim) == []  # nothing kept for Kim: no digest
    # The next morning, nothing new: skipped.
    assert send_digests(morning + timedelta(days=1)) == 0


def test_a_day_digest_is_claimed_by_one_worker_only(app, people, clock) -> None:
    amina = people["amina"]
    assert claim_digest(amina.id, date(2026, 5, 4))
    assert not claim_digest(amina.id, date(2026, 5, 4))
    assert claim_digest(amina.id, date(2026, 5, 5))
    db.session.commit()


def test_two_workers_at_once_send_each_person_one_digest(app, people, make_user,
                                                         clock) -> None:
    everyone = [people["amina"], people["kim"],
                *(make_user(f"trainee{n}@example.org") for n in range(6))]
    for person in everyone:
        person.timezone = "Africa/Lagos"
        set_preferences(person, {ENROLMENT: Mode.DIGEST}, clock())
        _tell(person, clock())
    db.session.commit()
    morning = datetime(2026, 5, 4, 7, 5, tzinfo=UTC)  # 08:05 in Lagos
    sent = in_parallel(app, lambda: cast(int, send_digests(morning)))
    assert sum(sent) == len(everyone)
    db.session.commit()  # read what the workers committed
    for person in everyone:
        digests = [m for m in _outbox(person) if m["Subject"].startswith("Your TrainHub digest")]
        assert len(digests) == 1, person.email
        assert {entry.mail for entry in _entries(person)} == {"digested"}
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.kind == "notifications.digest")) == len(everyone)


# --- the pages --------------------------------------------------------------------------------

def test_the_list_shows_one_own_entries_newest_first_and_marks_them_read(
        app, client, people, clock) -> None:
    amina, kim = people["amina"], people["kim"]
    first = _tell(amina, clock())
    clock.advance(minutes=5)
    _tell(amina, clock(), accepted=False)
    others = _tell(kim, clock())
    db.session.commit()
    login(client, amina.email)
    page = client.get("/notifications/").get_data(as_text=True)
    assert page.index("was declined") < page.index("You are enrolled")
    assert "GMP basics" in page and page.count("notification-unread") == 2
    assert client.post(f"/notifications/{others.id}/open").status_code == 404
    answer = client.post(f"/notifications/{first.id}/open")
    assert answer.status_code == 302 and answer.headers["Location"] == "/catalog/"
    assert _user(amina.id).unread_notifications == 1
    client.post("/notifications/read")
    db.session.expire_all()
    assert _user(amina.id).unread_notifications == 0
    assert all(entry.read_at is not None for entry in _entries(amina))
    assert _entry(others.id).read_at is None


def test_the_header_count_costs_no_statement_and_the_list_one(app, client, people,
                                                             clock) -> None:
    amina = people["amina"]
    _tell(amina, clock())
    _tell(amina, clock())
    db.session.commit()
    login(client, amina.email)
    db.session.remove()
    g.pop("_login_user", None)
    with count_queries() as statements:
        home = client.get("/").get_data(as_text=True)
    assert len(statements) == 1  # the session user, with the count in its row
    assert re.search(r'Notifications</span> <span class="badge">2<', home)
    db.session.remove()
    g.pop("_login_user", None)
    with count_queries() as statements:
        assert client.get("/notifications/").status_code == 200
    assert len(statements) == 2  # the session user, and the page of entries


def test_the_list_needs_a_log_in(client) -> None:
    answer = client.get("/notifications/")
    assert answer.status_code == 302 and "/auth/login" in answer.headers["Location"]


def test_preferences_are_saved_and_a_bad_choice_is_told_at_its_field(app, client, people,
                                                                     clock) -> None:
    amina = people["amina"]
    login(client, amina.email)
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert "A learner asks to join your course" not in page  # a staff kind
    assert "Your password was changed" in page
    answer = client.post("/notifications/preferences",
                         data={mode_field(ENROLMENT): "sometimes"})
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert f'id="{mode_field(ENROLMENT)}-error"' in page
    assert "Choose immediately, daily digest or off." in page
    every = {mode_field(kind.key): "immediately" for kind in KINDS.entries(app).values()
             if kind.audience is not Audience.STAFF and not kind.security}
    answer = client.post("/notifications/preferences",
                         data={**every, mode_field(ENROLMENT): "off"})
    assert answer.status_code == 302
    assert _tell(_user(amina.id), clock()).mail == "none"


def test_one_click_unsubscribe_needs_no_session_and_refuses_a_tampered_token(
        app, client, people, clock) -> None:
    amina = people["amina"]
    token = unsubscribe_token(amina.id, ENROLMENT)
    page = client.get(f"/notifications/unsubscribe/{token}")
    assert page.status_code == 200 and "Unsubscribe" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "private, no-store"
    assert _tell(amina, clock()).mail == "queued"  # a GET changes nothing
    db.session.commit()
    tampered = unsubscribe_token(people["kim"].id, ENROLMENT)[:-2] + "xx"
    assert client.post(f"/notifications/unsubscribe/{tampered}",
                       data={"List-Unsubscribe": "One-Click"}).status_code == 404
    assert client.post(f"/notifications/unsubscribe/{token}",
                       data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert _tell(_user(amina.id), clock()).mail == "none"
    assert _tell(people["kim"], clock()).mail == "queued"


def test_the_one_click_post_works_with_csrf_protection_on(make_app, people, clock) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        token = unsubscribe_token(people["amina"].id, ENROLMENT)
    client = app.test_client()
    assert client.post(f"/notifications/unsubscribe/{token}",
                       data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert client.post("/notifications/read").status_code == 400  # others keep CSRF


# --- events -----------------------------------------------------------------------------------

def test_an_enrolment_request_and_its_decision_are_told(app, people, clock,
                                                       make_course) -> None:
    amina, grace = people["amina"], people["grace"]
    course = make_course("approval-course", enrolment="approval")
    request = enrol(amina, course, clock())
    db.session.commit()
    [staff_entry] = _entries(grace)  # no instructor yet: the administrators
    assert staff_entry.kind == "enrolment.requested" and "Amina Yusuf" in staff_entry.summary
    decide_enrolment(grace, request, course, accept=False, reason="The course is full",
                     now=clock())
    db.session.commit()
    [entry] = _entries(amina)
    assert entry.kind == ENROLMENT and "declined" in entry.subject
    [message] = _outbox(amina)
    assert "The course is full" in _text(message)


def test_a_sign_in_from_a_new_browser_is_told(app, client, people) -> None:
    amina = people["amina"]
    client.post("/auth/login", data={"email": amina.email, "password": DEFAULT_PASSWORD},
                headers={"User-Agent": "Browser A"})
    client.post("/auth/logout")
    client.post("/auth/login", data={"email": amina.email, "password": DEFAULT_PASSWORD},
                headers={"User-Agent": "Browser A"})
    client.post("/auth/logout")
    assert _entries(amina) == []  # the first browser, then the same one
    client.post("/auth/login", data={"email": amina.email, "password": DEFAULT_PASSWORD},
                headers={"User-Agent": "Browser B"})
    [entry] = _entries(amina)
    assert entry.kind == "account.new_device"
    [message] = _outbox(amina)
    assert "Browser B" in _text(message)
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 1
