"""`flask users ...` commands."""

import json

from sqlalchemy import select

from app.auth.models import User
from app.auth.services import (
    authenticate,
    find_user_by_email,
    load_session_user,
    start_login_session,
)
from app.core.roles import Role
from app.extensions import db
from app.records.models import Event
from tests.conftest import DEFAULT_PASSWORD, login


def test_users_create_with_roles_from_stdin(runner) -> None:
    result = runner.invoke(args=["users", "create", "Ops@Example.org", "--name", "Ops Lead",
                                 "--role", "admin", "--role", "instructor", "--password-stdin"],
                           input="a long enough passphrase\n")
    assert result.exit_code == 0, result.output
    assert "Created ops@example.org (admin, instructor)" in result.output
    user = authenticate("ops@example.org", "a long enough passphrase")
    assert user is not None and user.roles == {Role.ADMIN, Role.INSTRUCTOR}


def test_users_create_defaults_to_learner(runner) -> None:
    result = runner.invoke(args=["users", "create", "t@example.org", "--name", "T",
                                 "--password-stdin"], input="a long enough passphrase\n")
    assert result.exit_code == 0, result.output
    user = find_user_by_email("t@example.org")
    assert user is not None and user.roles == {Role.LEARNER}


def test_users_create_refuses_weak_password_and_saves_nothing(runner) -> None:
    result = runner.invoke(args=["users", "create", "t@example.org", "--name", "T",
                                 "--password-stdin"], input="short\n")
    assert result.exit_code == 1
    assert "at least 10 characters" in result.output
    assert find_user_by_email("t@example.org") is None


def test_users_create_refuses_a_common_password_and_says_why(runner) -> None:
    result = runner.invoke(args=["users", "create", "t@example.org", "--name", "T",
                                 "--password-stdin"], input="Password123!\n")
    assert result.exit_code == 1
    assert "similar to a commonly used password" in result.output
    assert find_user_by_email("t@example.org") is None


def test_users_create_refuses_unknown_role(runner) -> None:
    result = runner.invoke(args=["users", "create", "t@example.org", "--name", "T",
                                 "--role", "superuser", "--password-stdin"], input="x\n")
    assert result.exit_code == 2 and "superuser" in result.output


def test_users_set_role(runner, make_user) -> None:
    user = make_user("amina@example.org")
    result = runner.invoke(args=["users", "set-role", "amina@example.org", "assessor", "learner"])
    assert result.exit_code == 0, result.output
    assert "now has roles: assessor, learner" in result.output
    db.session.refresh(user)
    assert user.roles == {Role.ASSESSOR, Role.LEARNER}
    missing = runner.invoke(args=["users", "set-role", "nobody@example.org", "admin"])
    assert missing.exit_code == 1 and "No account" in missing.output


def test_set_role_keeps_one_admin(runner, make_user) -> None:
    make_user("boss@example.org", roles=(Role.ADMIN,))
    result = runner.invoke(args=["users", "set-role", "boss@example.org", "learner"])
    assert result.exit_code == 1 and "only administrator" in result.output


def _demo_passwords(output: str) -> dict[str, tuple[str, str]]:
    """Role -> (e-mail, password), read from the box that create-demo prints."""
    found = {}
    for line in output.splitlines():
        cells = line.strip("| ").split()
        if len(cells) == 3 and cells[0] in {role.value for role in Role}:
            found[cells[0]] = (cells[1], cells[2])
    return found


def test_demo_accounts_created_once_on_an_empty_database(runner) -> None:
    first = runner.invoke(args=["users", "create-demo"])
    assert first.exit_code == 0, first.output
    accounts = _demo_passwords(first.output)
    assert set(accounts) == {role.value for role in Role}
    for role, (email, password) in accounts.items():
        user = authenticate(email, password)
        assert user is not None and user.roles == {Role(role)}
    second = runner.invoke(args=["users", "create-demo"])
    assert "no demo accounts created" in second.output
    assert _demo_passwords(second.output) == {}


def test_the_demo_passwords_are_the_last_thing_printed_in_a_box(runner) -> None:
    output = runner.invoke(args=["users", "create-demo"]).output.rstrip("\n").splitlines()
    top = next(i for i, line in enumerate(output) if line.startswith("+-"))
    box = output[top:]
    assert box[-1] == box[0] and set(box[0]) == {"+", "-"}
    assert all(line.startswith("| ") and line.endswith(" |") for line in box[1:-1])
    assert len({len(line) for line in box}) == 1
    assert len(_demo_passwords("\n".join(box))) == len(Role)
    assert _demo_passwords("\n".join(output[:top])) == {}


def test_users_list(runner, make_user) -> None:
    make_user("amina@example.org", roles=(Role.LEARNER, Role.ASSESSOR))
    result = runner.invoke(args=["users", "list"])
    assert "amina@example.org" in result.output and "assessor, learner" in result.output


def test_users_unlock_lifts_a_lock_out_with_a_reason(runner, make_user, client) -> None:
    amina = make_user("amina@example.org")
    for _ in range(5):
        login(client, "amina@example.org", "wrong password")
    assert login(client, "amina@example.org").status_code == 429
    without_reason = runner.invoke(args=["users", "unlock", "amina@example.org"])
    assert without_reason.exit_code == 2 and "--reason" in without_reason.output
    result = runner.invoke(args=["users", "unlock", "Amina@Example.org",
                                 "--reason", "Identity checked by phone"])
    assert result.exit_code == 0, result.output
    assert "amina@example.org is now unlocked." in result.output
    db.session.rollback()  # see what the command committed
    event = db.session.scalar(select(Event).where(Event.action == "user.unlocked"))
    assert event is not None and event.actor_name == "command line"
    assert event.reason == "Identity checked by phone" and event.subject_id == str(amina.id)
    assert login(client, "amina@example.org").status_code == 302
    again = runner.invoke(args=["users", "unlock", "amina@example.org", "--reason", "x"])
    assert again.exit_code == 0 and "amina@example.org is not locked." in again.output
    missing = runner.invoke(args=["users", "unlock", "nobody@example.org", "--reason", "x"])
    assert missing.exit_code == 1 and "No account" in missing.output


def _new_password(output: str) -> str:
    line = next(line for line in output.splitlines() if line.startswith("New password"))
    return line.rsplit(" ", 1)[1]


def test_reset_password_generates_one_ends_sessions_and_lifts_the_lock(
        runner, make_user, client, clock) -> None:
    amina = make_user("amina@example.org")
    old_hash = amina.password_hash
    # A browser logged in elsewhere, and a lock from failed log-ins.
    token = start_login_session(amina, clock())
    db.session.commit()
    for _ in range(5):
        login(client, "amina@example.org", "wrong password")
    assert login(client, "amina@example.org").status_code == 429
    result = runner.invoke(args=["users", "reset-password", "Amina@Example.org",
                                 "--reason", "Forgot it; identity checked in person"])
    assert result.exit_code == 0, result.output
    assert ("Password of amina@example.org reset; 1 log-in session ended; the lock from "
            "failed log-ins lifted.") in result.output
    password = _new_password(result.output)
    assert len(password) >= 16
    db.session.rollback()  # see what the command committed
    reset_user = db.session.get(User, amina.id)
    assert reset_user is not None and reset_user.password_hash != old_hash
    assert load_session_user(token) is None  # that browser is logged out
    assert authenticate("amina@example.org", DEFAULT_PASSWORD) is None
    assert login(client, "amina@example.org", password).status_code == 302
    events = db.session.scalars(select(Event).where(Event.subject_id == str(amina.id),
                                                    Event.action.in_(("user.password_reset",
                                                                      "user.unlocked")))
                                ).all()
    assert [event.action for event in events] == ["user.password_reset", "user.unlocked"]
    reset = events[0]
    assert reset.actor_name == "command line"
    assert reset.reason == "Forgot it; identity checked in person"
    assert reset.details == {"generated": True, "sessions_ended": 1}
    assert password not in json.dumps([event.details for event in events]) + reset.reason


def test_reset_password_takes_a_given_password_from_stdin_or_a_prompt(runner,
                                                                        make_user) -> None:
    make_user("amina@example.org")
    piped = runner.invoke(args=["users", "reset-password", "amina@example.org", "--reason",
                                "Lost", "--password-stdin"], input="a fresh long passphrase\n")
    assert piped.exit_code == 0, piped.output
    assert "New password" not in piped.output and "a fresh long" not in piped.output
    assert "0 log-in sessions ended." in piped.output
    assert authenticate("amina@example.org", "a fresh long passphrase") is not None
    asked = runner.invoke(args=["users", "reset-password", "amina@example.org", "--reason",
                                "Lost again", "--prompt"],
                          input="another long passphrase\nanother long passphrase\n")
    assert asked.exit_code == 0, asked.output
    assert "another long passphrase" not in asked.output
    db.session.rollback()
    assert authenticate("amina@example.org", "another long passphrase") is not None


def test_reset_password_refuses_a_weak_password_a_missing_reason_or_account(
        runner, make_user) -> None:
    make_user("amina@example.org")
    weak = runner.invoke(args=["users", "reset-password", "amina@example.org", "--reason",
                               "Lost", "--password-stdin"], input="Password123!\n")
    assert weak.exit_code == 1 and "similar to a commonly used password" in weak.output
    assert authenticate("amina@example.org", DEFAULT_PASSWORD) is not None
    no_reason = runner.invoke(args=["users", "reset-password", "amina@example.org"])
    assert no_reason.exit_code == 2 and "--reason" in no_reason.output
    blank = runner.invoke(args=["users", "reset-password", "amina@example.org",
                                "--reason", "  "])
    assert blank.exit_code == 1 and "Say why the password is reset." in blank.output
    both = runner.invoke(args=["users", "reset-password", "amina@example.org", "--reason",
                               "x", "--prompt", "--password-stdin"])
    assert both.exit_code == 1 and "not both" in both.output
    missing = runner.invoke(args=["users", "reset-password", "nobody@example.org",
                                  "--reason", "x"])
    assert missing.exit_code == 1 and "No account" in missing.output
    assert db.session.scalar(select(Event).where(
        Event.action == "user.password_reset")) is None


def test_reset_password_of_a_deactivated_account_says_it_stays_deactivated(
        runner, make_user) -> None:
    make_user("amina@example.org")
    runner.invoke(args=["users", "deactivate", "amina@example.org", "--reason", "Left"])
    result = runner.invoke(args=["users", "reset-password", "amina@example.org",
                                 "--reason", "Coming back"])
    assert result.exit_code == 0, result.output
    assert "deactivated: it cannot log in until it is reactivated" in result.output


def test_reset_password_send_link_queues_a_link_and_keeps_the_password(runner,
                                                                       make_user) -> None:
    from tests.auth.outbox import outbox

    make_user("amina@example.org")
    result = runner.invoke(args=["users", "reset-password", "amina@example.org", "--reason",
                                 "Asked by phone", "--send-link"])
    assert result.exit_code == 0, result.output
    assert "reset link for amina@example.org is queued" in result.output
    [mail] = outbox()
    assert mail.to == "amina@example.org" and mail.token not in result.output
    assert authenticate("amina@example.org", DEFAULT_PASSWORD) is not None
    event = db.session.scalar(select(Event).where(
        Event.action == "user.password_reset_link_sent"))
    assert event is not None and event.actor_id is None and event.reason == "Asked by phone"
    both = runner.invoke(args=["users", "reset-password", "amina@example.org", "--reason",
                               "x", "--send-link", "--prompt"])
    assert both.exit_code == 1 and "--send-link sets no password" in both.output
