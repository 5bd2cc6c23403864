"""Administration of accounts and roles."""

from app.core.roles import Role
from app.extensions import db
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
