"""Account services, without HTTP."""

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import InstanceState

from app.auth.models import LoginSession, User
from app.auth.services import (
    Profile,
    authenticate,
    change_password,
    create_account,
    end_login_session,
    load_session_user,
    register_learner,
    set_roles,
    start_login_session,
    update_profile,
)
from app.core.errors import PermissionDenied, ValidationError
from app.core.roles import Role
from app.extensions import db
from tests.conftest import DEFAULT_PASSWORD, count_queries


def _profile(**kw) -> Profile:
    return Profile(**{"name": "Amina Yusuf", "country": "NG", "organisation": "Biovaccines",
                      **kw})


def test_register_learner_normalizes_email_and_gives_learner_role(app, clock) -> None:
    user = register_learner(email="  Amina.Yusuf@Example.ORG ", password=DEFAULT_PASSWORD,
                            profile=_profile(), now=clock())
    assert user.email == "amina.yusuf@example.org"
    assert user.roles == {Role.LEARNER}
    assert user.created_at == clock()
    assert user.password_hash.startswith("$argon2id$")


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"email": "not-an-email"}, "email"),
    ({"password": "short"}, "password"),
    ({"profile": Profile(name="  ", country="NG")}, "name"),
    ({"profile": Profile(name="A B", country="XX")}, "country"),
    ({"profile": Profile(name="A B", country=None)}, "country"),
])
def test_register_refuses_bad_input_on_the_right_field(app, clock, kwargs, field) -> None:
    args = {"email": "amina@example.org", "password": DEFAULT_PASSWORD, "profile": _profile(),
            **kwargs}
    with pytest.raises(ValidationError) as caught:
        register_learner(now=clock(), **args)
    assert caught.value.field == field


def test_duplicate_email_is_refused_case_insensitively(app, clock, make_user) -> None:
    make_user("amina@example.org")
    with pytest.raises(ValidationError, match="exists already") as caught:
        register_learner(email="AMINA@example.org", password=DEFAULT_PASSWORD,
                         profile=_profile(), now=clock())
    assert caught.value.field == "email"


def test_authenticate(app, make_user) -> None:
    user: User = make_user("amina@example.org")
    assert authenticate("Amina@Example.org", DEFAULT_PASSWORD) is user
    assert authenticate("amina@example.org", "wrong password!") is None
    assert authenticate("nobody@example.org", DEFAULT_PASSWORD) is None
    user.active = False
    assert authenticate("amina@example.org", DEFAULT_PASSWORD) is None


def test_login_sessions_load_and_end(app, clock, make_user) -> None:
    user = make_user()
    token = start_login_session(user, clock())
    db.session.commit()
    user_id = user.id
    db.session.expunge_all()
    loaded = load_session_user(token)
    assert loaded is not None and loaded.id == user_id and loaded.session_token == token
    assert load_session_user("not-a-token") is None
    end_login_session(loaded, token, clock())
    db.session.commit()
    assert load_session_user(token) is None


def test_the_session_user_is_one_statement_and_a_persistent_record(app, clock,
                                                                     make_user) -> None:
    """The loader builds the User from one row per role without the ORM's query machinery;
    what it returns must still behave as a loaded record: roles read without another
    statement, and a change to it is saved."""
    user = make_user(roles=(Role.LEARNER, Role.ASSESSOR))
    token = start_login_session(user, clock())
    db.session.commit()
    user_id = user.id
    db.session.expunge_all()
    with count_queries() as statements:
        loaded = load_session_user(token)
        assert loaded is not None
        assert loaded.roles == {Role.LEARNER, Role.ASSESSOR} and loaded.has_role(Role.ASSESSOR)
    assert len(statements) == 1
    state: InstanceState[User] = sa.inspect(loaded)
    assert state.persistent and not db.session.dirty
    update_profile(loaded, _profile(name="Amina Y."), clock())
    db.session.commit()
    db.session.expunge_all()
    reloaded = db.session.get(User, user_id)
    assert reloaded is not None and reloaded.name == "Amina Y."
    # Loaded again in the same session, it is the same object (the identity map's).
    again = load_session_user(token)
    assert again is load_session_user(token)


def test_change_password_ends_other_sessions_only(app, clock, make_user) -> None:
    user = make_user()
    other = start_login_session(user, clock())
    this = start_login_session(user, clock())
    change_password(user, current=DEFAULT_PASSWORD, new="another fine passphrase", now=clock())
    db.session.commit()
    assert load_session_user(other) is None
    assert load_session_user(this) is not None
    assert authenticate(user.email, "another fine passphrase") is not None


@pytest.mark.parametrize(("current", "new", "field"), [
    ("wrong current pw", "another fine passphrase", "current_password"),
    (DEFAULT_PASSWORD, DEFAULT_PASSWORD, "new_password"),
    (DEFAULT_PASSWORD, "short", "new_password"),
])
def test_change_password_refusals(app, clock, make_user, current, new, field) -> None:
    user = make_user()
    with pytest.raises(ValidationError) as caught:
        change_password(user, current=current, new=new, now=clock())
    assert caught.value.field == field


def test_update_profile(app, clock, make_user) -> None:
    user = make_user()
    update_profile(user, Profile(name="New Name", country="KR", organisation="K-Bio",
                                 timezone="Asia/Seoul"), clock())
    assert (user.name, user.country, user.organisation, user.timezone) == (
        "New Name", "KR", "K-Bio", "Asia/Seoul")
    with pytest.raises(ValidationError) as caught:
        update_profile(user, Profile(name="N", country="KR", timezone="Mars/Olympus"), clock())
    assert caught.value.field == "timezone"


def test_set_roles_needs_an_admin_actor(app, clock, make_user) -> None:
    admin = make_user(roles=(Role.ADMIN,))
    learner = make_user()
    assert set_roles(admin, learner, [Role.LEARNER, Role.ASSESSOR], clock()) is True
    assert learner.roles == {Role.LEARNER, Role.ASSESSOR}
    assert set_roles(admin, learner, [Role.ASSESSOR, Role.LEARNER], clock()) is False
    with pytest.raises(PermissionDenied):
        set_roles(learner, admin, [Role.LEARNER], clock())
    with pytest.raises(ValidationError):
        set_roles(admin, learner, [], clock())


def test_the_last_admin_cannot_be_demoted(app, clock, make_user) -> None:
    admin = make_user(roles=(Role.ADMIN,))
    with pytest.raises(ValidationError, match="only administrator"):
        set_roles(admin, admin, [Role.LEARNER], clock())
    second = make_user(roles=(Role.ADMIN,))
    assert set_roles(second, admin, [Role.LEARNER], clock()) is True
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(User)) == 2


def test_create_account_with_several_roles_and_no_country(app, clock) -> None:
    user = create_account(email="ops@example.org", password=DEFAULT_PASSWORD,
                          profile=Profile(name="Ops", country=None),
                          roles=[Role.ADMIN, Role.INSTRUCTOR], now=clock())
    assert user.roles == {Role.ADMIN, Role.INSTRUCTOR}
    assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 0
