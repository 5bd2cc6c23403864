"""Administration of accounts and roles."""

import re

from sqlalchemy import select

from app.auth.lockout import configured_limits, login_locked_until
from app.core.roles import Role
from app.core.time import now
from app.extensions import db
from app.records.models import Event
from tests.conftest import count_queries, login


def test_a_learner_gets_403_on_the_admin_pages(client, make_user) -> None:
    learner = make_user("learner@example.org")
    login(client, "learner@example.org")
    assert client.get("/admin/users").status_code == 403
    assert client.get(f"/admin/users/{learner.id}").status_code == 403
    response = client.post(f"/admin/users/{learner.id}", data={"roles": ["admin"]})
    assert response.status_code == 403
    db.session.refresh(learner)
    assert learner.roles == {Role.LEARNER}
    assert "Not allowed" in client.get("/admin/users").get_data(as_text=True)


def test_admin_lists_searches_and_filters_users(client, make_user) -> None:
    make_user("boss@example.org", name="Boss", roles=(Role.ADMIN,))
    make_user("amina@example.org", name="Amina Yusuf", organisation="Biovac")
    make_user("kim@example.org", name="Kim Min-jun", roles=(Role.ASSESSOR,))
    login(client, "boss@example.org")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Amina Yusuf" in page and "Kim Min-jun" in page and "3 accounts" in page
    found = client.get("/admin/users?q=biovac").get_data(as_text=True)
    assert "Amina Yusuf" in found and "Kim Min-jun" not in found
    assessors = client.get("/admin/users?role=assessor").get_data(as_text=True)
    assert "Kim Min-jun" in assessors and "Amina Yusuf" not in assessors


def test_admin_changes_another_users_roles(client, make_user) -> None:
    make_user("boss@example.org", roles=(Role.ADMIN,))
    amina = make_user("amina@example.org")
    login(client, "boss@example.org")
    form = client.get(f"/admin/users/{amina.id}").get_data(as_text=True)
    assert '<input checked id="roles-0" name="roles" type="checkbox" value="learner">' in form
    response = client.post(f"/admin/users/{amina.id}",
                           data={"roles": ["learner", "instructor", "assessor"]})
    assert response.status_code == 302
    db.session.refresh(amina)
    assert amina.roles == {Role.LEARNER, Role.INSTRUCTOR, Role.ASSESSOR}
    assert "Roles of" in client.get(f"/admin/users/{amina.id}").get_data(as_text=True)


def test_no_roles_is_refused_next_to_the_field(client, make_user) -> None:
    make_user("boss@example.org", roles=(Role.ADMIN,))
    amina = make_user("amina@example.org")
    login(client, "boss@example.org")
    response = client.post(f"/admin/users/{amina.id}", data={})
    assert response.status_code == 200
    assert 'id="roles-error">An account needs at least one role.' in response.get_data(as_text=True)


def test_the_only_admin_cannot_remove_their_own_admin_role(client, make_user) -> None:
    boss = make_user("boss@example.org", roles=(Role.ADMIN,))
    login(client, "boss@example.org")
    response = client.post(f"/admin/users/{boss.id}", data={"roles": ["learner"]})
    assert "only administrator" in response.get_data(as_text=True)
    db.session.refresh(boss)
    assert Role.ADMIN in boss.roles


def test_unknown_user_is_404(client, make_user) -> None:
    make_user("boss@example.org", roles=(Role.ADMIN,))
    login(client, "boss@example.org")
    assert client.get("/admin/users/99999").status_code == 404


def test_nav_shows_admin_link_only_to_admins(client, make_user) -> None:
    make_user("boss@example.org", roles=(Role.ADMIN,))
    make_user("amina@example.org")
    login(client, "amina@example.org")
    assert 'href="/admin/users"' not in client.get("/").get_data(as_text=True)
    client.post("/auth/logout")
    login(client, "boss@example.org")
    assert 'href="/admin/users"' in client.get("/").get_data(as_text=True)


def test_user_list_runs_a_bounded_number_of_queries(client, make_user, app) -> None:
    make_user("boss@example.org", roles=(Role.ADMIN,))
    login(client, "boss@example.org")

    def queries_for_listing() -> int:
        with count_queries() as statements:
            assert client.get("/admin/users").status_code == 200
        return len(statements)

    few = queries_for_listing()
    for n in range(25):
        make_user(roles=(Role.LEARNER, Role.ASSESSOR) if n % 2 else (Role.LEARNER,))
    assert queries_for_listing() == few <= 5


def _lock_out(app, email: str) -> None:
    """Five wrong passwords, the default limit, before anyone logs in (the test clients share
    the test's app context, so a log-in here would be seen by the later requests)."""
    other = app.test_client()
    for _ in range(5):
        login(other, email, "wrong password")
    assert login(other, email).status_code == 429


def _locked(email: str) -> bool:
    db.session.rollback()  # a fresh read: other requests have committed since
    return login_locked_until(email, configured_limits(), now()) is not None


def test_admin_sees_until_when_an_account_is_locked_and_unlocks_it(
        app, client, make_user) -> None:
    make_user("boss@example.org", roles=(Role.ADMIN,))
    amina = make_user("amina@example.org")
    _lock_out(app, "amina@example.org")
    login(client, "boss@example.org")
    page = client.get(f"/admin/users/{amina.id}").get_data(as_text=True)
    # The frozen clock's 09:00 UTC plus 15 minutes, on the administrator's clock (UTC).
    assert 'Locked until <time datetime="2026-03-02T09:15:00Z">Mon 2 Mar 2026, 09:15 ' \
           '(UTC)</time>' in page
    assert f'action="/admin/users/{amina.id}/unlock"' in page

    refused = client.post(f"/admin/users/{amina.id}/unlock", data={"u-reason": " "})
    assert refused.status_code == 200
    assert 'id="u-reason-error">Say why the account is unlocked.' in refused.get_data(
        as_text=True)
    # The roles form beside it still shows the account's roles, not the posted body's none.
    assert '<input checked id="roles-0" name="roles" type="checkbox" value="learner">' in \
        refused.get_data(as_text=True)
    response = client.post(f"/admin/users/{amina.id}/unlock",
                           data={"u-reason": "Called the help desk; identity checked"})
    assert response.status_code == 302
    page = client.get(f"/admin/users/{amina.id}").get_data(as_text=True)
    assert "can log in again" in page and "Not locked" in page
    assert "Unlock the account" not in page
    event = db.session.scalar(select(Event).where(Event.action == "user.unlocked"))
    assert event is not None and event.reason == "Called the help desk; identity checked"
    assert not _locked("amina@example.org")


def test_only_administrators_may_unlock(app, client, make_user) -> None:
    make_user("kim@example.org", roles=(Role.INSTRUCTOR, Role.ASSESSOR))
    amina = make_user("amina@example.org")
    _lock_out(app, "amina@example.org")
    login(client, "kim@example.org")
    response = client.post(f"/admin/users/{amina.id}/unlock", data={"u-reason": "please"})
    assert response.status_code == 403
    assert client.get(f"/admin/users/{amina.id}").status_code == 403
    assert _locked("amina@example.org")


def test_the_unlock_form_carries_a_csrf_token_and_needs_it(make_app, make_user) -> None:
    # Its own app, whose requests each get their own app context (and CSRF token).
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    make_user("boss@example.org", roles=(Role.ADMIN,))
    amina = make_user("amina@example.org")
    visitor, client = csrf_app.test_client(), csrf_app.test_client()
    guess = {"email": "amina@example.org", "password": "wrong password",
             "csrf_token": _token(visitor, "/auth/login")}
    for _ in range(5):
        assert visitor.post("/auth/login", data=guess).status_code == 200
    assert client.post("/auth/login", data={
        "email": "boss@example.org", "password": "a long enough passphrase",
        "csrf_token": _token(client, "/auth/login")}).status_code == 302
    page = client.get(f"/admin/users/{amina.id}").get_data(as_text=True)
    token = re.search(r'name="u-csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    url = f"/admin/users/{amina.id}/unlock"
    assert client.post(url, data={"u-reason": "checked"}).status_code == 400
    assert _locked("amina@example.org")
    assert client.post(url, data={"u-reason": "checked",
                                  "u-csrf_token": token.group(1)}).status_code == 302
    assert not _locked("amina@example.org")


def _token(client, url: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      client.get(url).get_data(as_text=True))
    assert match is not None
    return match.group(1)
