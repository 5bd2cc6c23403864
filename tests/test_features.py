"""What `create_app` wires: each feature's checks, panels, hooks and policies, registered in
its own init_app and kept in the app that registered them."""

from __future__ import annotations

from itertools import product

import pytest
from flask import Flask

from app.auth.demo import DEMO_ACCOUNT_HOOKS
from app.auth.models import User
from app.content.importer import FOLDER_IMPORTED_HOOKS, VERSION_RAISED_HOOKS
from app.core.auth import POLICIES, can
from app.core.registry import Hooks, NotRegistered, Registry, Slot
from app.core.roles import Role
from app.learning.panels import DASHBOARD_PANELS, MODULE_PANELS
from app.learning.rules import COMPLETION_ROUTES, completion_requirements
from app.learning.services import COURSE_COMPLETED_HOOKS, REQUIREMENT_CHECKS
from app.quizzes.queries import ATTEMPT_GRADES
from app.records.checks import ROW_READERS
from app.records.directory import COURSE_NAMES, ENTRY_CENTRES, PEOPLE
from app.records.replay import BOOKS

# Learning completes "read" itself, when the learner says so; every other requirement is
# another feature's evidence.
LEARNINGS_OWN = "read"


def requirement_kinds() -> set[str]:
    """Every requirement a module of the content format can have: what the rule gives for
    every combination of checklist, assessment and required attendance, and every
    requirement the learner can be told about."""
    made = {requirement
            for checklist, assessment, attendance in product((False, True), repeat=3)
            for requirement in completion_requirements(
                has_checklist=checklist, has_assessment=assessment,
                attendance_required=attendance)}
    return made | set(COMPLETION_ROUTES)


def test_every_completion_requirement_has_a_check_on_a_fresh_app(app: Flask) -> None:
    kinds = requirement_kinds() - {LEARNINGS_OWN}
    assert kinds == {"sign_off", "assessment", "attendance"}  # the rule still makes them
    assert set(REQUIREMENT_CHECKS.entries()) == kinds


def test_every_registry_is_filled_by_the_features(app: Flask) -> None:
    """What each feature's init_app brings; a feature left out of create_app shows here."""
    assert len(COURSE_COMPLETED_HOOKS.all()) == 2  # certificates, then intakes
    assert len(VERSION_RAISED_HOOKS.all()) == 1  # learning's retraining flag
    assert len(DEMO_ACCOUNT_HOOKS.all()) == 1  # learning's demo staff
    assert len(FOLDER_IMPORTED_HOOKS.all()) == 1  # authoring's revisions
    assert len(DASHBOARD_PANELS.all()) == 5  # centres (learning), certificates, sessions,
    # the intake's schedule, the applications to review
    assert len(MODULE_PANELS.all()) == 1  # quizzes
    assert len(ATTEMPT_GRADES.all()) == 1  # grading
    assert set(ROW_READERS.entries()) == {book.table for book in BOOKS}
    assert PEOPLE.get() is not None and callable(COURSE_NAMES.get())
    assert callable(ENTRY_CENTRES.get())
    assert set(POLICIES.entries()) == {
        "application.personal", "application.see",
        "attempt.grade", "authoring.create", "authoring.edit", "authoring.preview",
        "call.run", "calls.write", "centre.assign_roles", "centre.manage",
        "centre.manage_catalogue",
        "certificate.download", "certificate.revoke", "course.assign_staff",
        "course.manage", "course.preview", "intake.follow", "intake.manage",
        "intakes.manage_centre", "mail.retry", "offer.answer", "offer.see",
        "practical.assess", "practical.view",
        "records.review_learner", "records.view_learner", "reports.centre", "reports.network",
        "session.schedule",
        "session.see_join_link", "session.take_attendance", "user.change_roles",
        "user.reset_password", "user.unlock"}


def test_each_app_has_its_own_registries(app: Flask, make_app) -> None:
    other = make_app()
    for registry in (REQUIREMENT_CHECKS, POLICIES, ROW_READERS):
        assert registry.entries(app) == registry.entries(other)
        assert app.extensions[registry.key] is not other.extensions[registry.key]
    POLICIES.register(other, "test.only_here", lambda actor, obj: True)
    DASHBOARD_PANELS.add(other, lambda user, now: None)
    assert POLICIES.find("test.only_here", other) is not None
    assert POLICIES.find("test.only_here", app) is None
    assert len(DASHBOARD_PANELS.all(other)) == len(DASHBOARD_PANELS.all(app)) + 1


def test_policies_still_deny_unknown_actions(app: Flask, make_user) -> None:
    admin = make_user("root@example.org", roles=(Role.ADMIN,))
    assert can(admin, "user.change_roles", admin)
    assert not can(admin, "user.fly_to_the_moon", admin)
    assert not can(None, "user.change_roles", admin)


def test_a_registry_names_what_is_missing() -> None:
    bare = Flask(__name__)
    checks: Registry[object] = Registry("requirement checks")
    with pytest.raises(NotRegistered, match="requirement checks: nothing is registered for "
                                            r"'sign_off'.*init_app"):
        checks.get("sign_off", bare)
    assert not issubclass(NotRegistered, LookupError)  # never mistaken for a KeyError
    assert checks.find("sign_off", bare) is None
    with pytest.raises(NotRegistered, match="people: no provider"):
        Slot[object]("people").get(bare)
    assert Hooks[object]("panels").all(bare) == ()
    assert bare.extensions == {}  # asking registers nothing


def test_a_registry_refuses_a_second_entry_for_one_key() -> None:
    bare = Flask(__name__)
    checks: Registry[str] = Registry("checks")
    checks.register(bare, "sign_off", "first")
    with pytest.raises(ValueError, match="'sign_off' is registered already"):
        checks.register(bare, "sign_off", "second")
    assert checks.get("sign_off", bare) == "first"
    people: Slot[str] = Slot("people")
    people.provide(bare, "accounts")
    with pytest.raises(ValueError, match="provider is set already"):
        people.provide(bare, "someone else")
    hooks: Hooks[str] = Hooks("hooks")
    hooks.add(bare, "once")
    with pytest.raises(ValueError, match="added already"):
        hooks.add(bare, "once")


def test_the_user_checks_its_own_password_for_a_signature(app: Flask, make_user) -> None:
    user: User = make_user("signer@example.org", password="a long enough passphrase")
    assert user.check_password("a long enough passphrase")
    assert not user.check_password("a long enough passphrasE")
