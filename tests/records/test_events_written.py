"""Every state change built so far writes its event, in the same transaction."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.services import (
    Profile,
    change_password,
    end_login_session,
    register_learner,
    set_active,
    set_roles,
    start_login_session,
    update_profile,
)
from app.content.importer import import_courses
from app.content.loader import load_courses
from app.core.roles import Role
from app.extensions import db
from app.records.models import Event
from app.records.services import verify_chain
from tests.conftest import DEFAULT_PASSWORD
from tests.course_files import module_md


def events(action: str) -> list[Event]:
    return list(db.session.scalars(select(Event).where(Event.action == action)
                                   .order_by(Event.seq)))


def test_account_events(app, clock, make_user) -> None:
    admin = make_user(name="Grace Admin", roles=(Role.ADMIN,))
    created = events("user.created")[-1]
    assert created.actor_id is None and created.details["email"] == admin.email

    amina = register_learner(email="amina@example.org", password=DEFAULT_PASSWORD,
                             profile=Profile("Amina Yusuf", "NG"), now=clock())
    registered = events("user.registered")[-1]
    assert (registered.actor_id, registered.learner_id) == (amina.id, amina.id)

    set_roles(admin, amina, [Role.LEARNER, Role.ASSESSOR], clock(), reason="New assessor")
    changed = events("user.role_changed")[-1]
    assert changed.details == {"roles": {"old": ["learner"], "new": ["assessor", "learner"]}}
    assert changed.reason == "New assessor" and changed.actor_name == "Grace Admin"

    update_profile(amina, Profile("Amina Y.", "KR", "GTH-B", "Asia/Seoul"), clock())
    profile = events("user.profile_changed")[-1]
    assert profile.details["country"] == {"old": "NG", "new": "KR"}
    assert "timezone" in profile.details

    token = start_login_session(amina, clock())
    assert events("login.started")[-1].actor_id == amina.id
    change_password(amina, current=DEFAULT_PASSWORD, new="another fine passphrase",
                    now=clock())
    assert events("user.password_changed")[-1].learner_id == amina.id
    end_login_session(amina, token, clock())
    assert events("login.ended")[-1].actor_id == amina.id

    set_active(admin, amina, False, clock(), reason="Left the programme")
    set_active(admin, amina, True, clock(), reason="Returned")
    assert events("user.deactivated")[-1].reason == "Left the programme"
    assert events("user.reactivated")[-1].details == {"active": {"old": False, "new": True}}
    db.session.commit()
    assert verify_chain().ok


def test_no_event_without_its_change(app, clock, make_user) -> None:
    admin = make_user(roles=(Role.ADMIN,))
    before = len(events("user.role_changed"))
    assert set_roles(admin, admin, [Role.ADMIN], clock()) is False  # nothing changed
    assert len(events("user.role_changed")) == before


def test_import_events(app, clock, write_course) -> None:
    folder = write_course({"01-a.md": module_md("A"), "02-b.md": module_md("B")})
    courses, _ = load_courses([folder])
    import_courses(courses, now=clock(), source_commit="abc123")
    imported = events("course.imported")[-1]
    assert imported.details["status"] == "added"
    assert imported.details["content_hash"] == courses[0].content_hash
    assert imported.details["source_commit"] == "abc123"
    assert imported.course_id is not None

    write_course({"01-a.md": module_md("A", version=2)})
    courses, _ = load_courses([folder])
    import_courses(courses, now=clock())
    raised = events("module.version_raised")[-1]
    assert raised.details == {"module": "a", "version": {"old": 1, "new": 2}}
    assert events("module.archived")[-1].details == {"module": "b", "file": "02-b.md"}
    db.session.commit()
    assert verify_chain().ok


def test_login_and_logout_through_the_web_are_recorded(client, make_user) -> None:
    user = make_user("amina@example.org")
    client.post("/auth/login", data={"email": "amina@example.org",
                                     "password": DEFAULT_PASSWORD})
    client.post("/auth/logout")
    assert [e.action for e in db.session.scalars(
        select(Event).where(Event.actor_id == user.id).order_by(Event.seq))] == [
        "login.started", "login.ended"]
