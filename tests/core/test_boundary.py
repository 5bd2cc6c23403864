"""The request boundary: one commit per request after the view, a rollback on an error status
or an exception, 403 and 404 for a service's PermissionDenied and NotFound, the form helper,
and the command-line helper."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
import pytest
from flask import Flask, redirect
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from wtforms import StringField

from app.auth.models import User
from app.auth.services import Profile, create_account
from app.core.boundary import keep_writes, ran_service, run_command, run_service
from app.core.db import begin_write
from app.core.errors import NotFound, PermissionDenied, ValidationError
from app.core.time import now
from app.extensions import db
from tests.conftest import DEFAULT_PASSWORD, committed


class _EmailForm(FlaskForm):
    email = StringField()


def _create(email: str) -> User:
    return create_account(email=email, password=DEFAULT_PASSWORD,
                          profile=Profile(name="Boundary Test", country="KE", organisation=""),
                          now=now())


def _refuse(error: Exception) -> Callable[[], None]:
    def service() -> None:
        raise error
    return service


def _kept(email: str) -> bool:
    """Whether the account is committed (not merely in the session that the test's app
    context shares with its requests)."""
    return bool(committed(select(func.count()).select_from(User).where(User.email == email)))


def _routes(app: Flask) -> Flask:
    @app.post("/t/create/<email>")
    def create(email: str):
        return redirect("/") if run_service(None, lambda: _create(email)) else ("refused", 200)

    @app.post("/t/field/<email>")
    def field(email: str):
        _create(email)  # written before the refusal: the rollback takes it back
        form = _EmailForm()
        ran = ran_service(form, _refuse(ValidationError("That address is taken.", "email")))
        return f"{ran} {form.email.errors} {form.form_errors}"

    @app.post("/t/fails/<email>")
    def fails(email: str):
        _create(email)
        raise RuntimeError("the view failed after writing")

    @app.post("/t/status/<int:code>/<email>")
    def status(code: int, email: str):
        _create(email)
        return "refused", code

    @app.post("/t/kept-409/<email>")
    def kept_409(email: str):
        _create(email)
        keep_writes()
        return "finished, and kept", 409

    @app.post("/t/denied/<email>")
    def denied(email: str):
        _create(email)
        run_service(_EmailForm(), _refuse(PermissionDenied("not allowed: authoring.edit")))
        return "never shown"

    @app.post("/t/missing")
    def missing():
        run_service(None, _refuse(NotFound("no such session")))
        return "never shown"

    @app.post("/t/duplicate/<email>")
    def duplicate(email: str):
        # Not flushed: the unique e-mail fails only at the boundary's commit.
        db.session.add(User(email=email, name="Twice", password_hash="x", created_at=now()))
        return redirect("/")

    @app.get("/t/read/<email>")
    def read(email: str):
        _create(email)  # a GET that writes without declaring it: never committed
        return "read"

    @app.get("/t/first-view/<email>")
    def first_view(email: str):
        begin_write()
        _create(email)
        return "written"

    return app


@pytest.fixture
def boundary_app(make_app: Callable[..., Flask]) -> Flask:
    return _routes(make_app())


def test_the_boundary_commits_a_view_that_returned_normally(boundary_app, anchor_path: Path
                                                            ) -> None:
    lines = len(anchor_path.read_text().splitlines()) if anchor_path.exists() else 0
    with boundary_app.app_context():
        response = boundary_app.test_client().post("/t/create/kept@example.org")
        assert response.status_code == 302 and _kept("kept@example.org")
    # The records anchor still hears of the commit (its after_commit hook).
    assert len(anchor_path.read_text().splitlines()) == lines + 1


def test_a_domain_error_rolls_back_and_shows_next_to_its_field(boundary_app) -> None:
    with boundary_app.app_context():
        response = boundary_app.test_client().post("/t/field/taken@example.org")
        assert response.text == "False ['That address is taken.'] []"
        assert not _kept("taken@example.org")


def test_a_view_that_writes_then_fails_leaves_nothing(boundary_app) -> None:
    with boundary_app.app_context():
        response = boundary_app.test_client().post("/t/fails/half@example.org")
        assert response.status_code == 500 and "Something went wrong" in response.text
        assert not _kept("half@example.org")
        assert db.session.scalar(select(User).where(User.email == "half@example.org")) is None


@pytest.mark.parametrize("code", [400, 409, 422, 429])
def test_an_error_status_rolls_back(boundary_app, code: int) -> None:
    with boundary_app.app_context():
        assert boundary_app.test_client().post(
            f"/t/status/{code}/no@example.org").status_code == code
        assert not _kept("no@example.org")


def test_a_refusal_that_keeps_its_writes_commits_with_an_error_status(boundary_app) -> None:
    with boundary_app.app_context():
        assert boundary_app.test_client().post("/t/kept-409/late@example.org").status_code == 409
        assert _kept("late@example.org")


def test_permission_denied_from_a_service_is_a_403_and_rolls_back(boundary_app) -> None:
    with boundary_app.app_context():
        response = boundary_app.test_client().post("/t/denied/sneaky@example.org")
        assert response.status_code == 403 and "Not allowed" in response.text
        assert "authoring.edit" not in response.text  # the service's words stay inside
        assert not _kept("sneaky@example.org")


def test_not_found_from_a_service_is_a_404(boundary_app) -> None:
    with boundary_app.app_context():
        response = boundary_app.test_client().post("/t/missing")
        assert response.status_code == 404 and "Page not found" in response.text


def test_a_failed_commit_is_a_500_not_a_redirect(make_app, make_user) -> None:
    taken = make_user().email
    app = _routes(make_app(PROPAGATE_EXCEPTIONS=False))
    with app.app_context():
        response = app.test_client().post(f"/t/duplicate/{taken}")
        assert response.status_code == 500 and "location" not in response.headers
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_a_failed_commit_that_propagates_leaves_a_usable_session(boundary_app,
                                                                 make_user) -> None:
    taken = make_user().email
    with boundary_app.app_context():
        with pytest.raises(IntegrityError):  # TESTING: an error after the view propagates
            boundary_app.test_client().post(f"/t/duplicate/{taken}")
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_a_safe_request_commits_only_a_declared_write(boundary_app) -> None:
    with boundary_app.app_context():
        client = boundary_app.test_client()
        assert client.get("/t/read/quiet@example.org").status_code == 200
        assert not _kept("quiet@example.org")
        assert client.get("/t/first-view/viewed@example.org").status_code == 200
        assert _kept("viewed@example.org")


def test_a_command_commits_or_says_why_and_exits_1(app, runner) -> None:
    @app.cli.command("t-create")
    @click.argument("email")
    @click.argument("password")
    def create_command(email: str, password: str) -> None:
        run_command(lambda: create_account(
            email=email, password=password, now=now(),
            profile=Profile(name="Command Test", country="KE", organisation="")))
        click.echo("created")

    done = runner.invoke(args=["t-create", "cli@example.org", DEFAULT_PASSWORD])
    assert done.exit_code == 0 and "created" in done.output and _kept("cli@example.org")
    refused = runner.invoke(args=["t-create", "weak@example.org", "short"])
    assert refused.exit_code == 1 and refused.output.startswith("Error: ")
    assert "created" not in refused.output and not _kept("weak@example.org")


def test_a_mid_request_commit_keeps_the_session_user_and_expires_the_rest(
        make_app: Callable[..., Flask], make_user) -> None:
    """`begin_write` and `end_write` commit in the middle of a request: the logged-in
    account and its roles stay loaded (no statement to reload them), every other object is
    expired as a commit does, so that the write transaction reads it afresh."""
    from flask_login import current_user, login_user

    from app.core.db import end_write
    from app.core.roles import Role
    from tests.conftest import count_queries

    app = make_app()
    with app.app_context():
        make_user("kept@example.org")
        make_user("other@example.org")
        db.session.commit()
        db.session.remove()
        with app.test_request_context("/"):
            user = db.session.scalar(select(User).where(User.email == "kept@example.org"))
            other = db.session.scalar(select(User).where(User.email == "other@example.org"))
            assert user is not None and other is not None
            user.session_token = "token"
            login_user(user)
            assert user.role_rows is not None
            begin_write()
            with count_queries() as statements:
                assert current_user.name and not current_user.has_role(Role.ADMIN)
            assert statements == []
            other.name = "Renamed"
            end_write()
            assert "name" not in db.inspect(other).dict  # expired: read again when asked
            with count_queries() as statements:
                assert current_user.email == "kept@example.org"
            assert statements == []
            with count_queries() as statements:
                assert other.name == "Renamed"
            assert statements and statements[0].lstrip().startswith("SELECT users.")
