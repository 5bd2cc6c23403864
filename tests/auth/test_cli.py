"""`flask users ...` commands."""

from sqlalchemy import select

from app.auth.services import authenticate, find_user_by_email
from app.core.roles import Role
from app.extensions import db
from app.records.models import Event
from tests.conftest import login


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
