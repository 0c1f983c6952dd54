"""The migrations: one head, and the migrated database matches the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from market.extensions import db


def test_there_is_exactly_one_migration_head(app):
    config = app.extensions["migrate"].migrate.get_config()
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_the_migrated_schema_has_no_difference_from_the_models(app):
    configure_args = app.extensions["migrate"].configure_args
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, **configure_args})
        diff = compare_metadata(context, db.metadata)
    assert diff == []
