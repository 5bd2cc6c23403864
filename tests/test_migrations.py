"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from app.core.db import include_name, include_object
from app.extensions import db
from tests.conftest import app_config


def test_migrations_match_the_models(app) -> None:
    """The test database was built by `upgrade()`; autogenerate must find nothing to add."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_name": include_name,
            "include_object": include_object})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_database_is_at_the_single_head(app) -> None:
    script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    assert len(script.get_heads()) == 1, "migrations have branched: merge them"
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    assert current == script.get_current_head()


def test_downgrade_to_nothing_and_upgrade_again(tmp_path) -> None:
    from app import create_app

    app = create_app(app_config(f"sqlite:///{tmp_path / 'cycle.db'}"))
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(db.inspect(db.engine).get_table_names()) == {"alembic_version"}
        upgrade()
        assert {"users", "user_roles", "login_sessions"} <= set(
            db.inspect(db.engine).get_table_names())
        db.engine.dispose()
