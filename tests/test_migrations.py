from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from apregister.extensions import db
from apregister.models.base import render_migration_item


def test_upgrade_from_empty_builds_every_table(db):
    # the session fixture dropped everything and ran `flask db upgrade`
    tables = set(inspect(db.engine).get_table_names())
    assert {table.name for table in db.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_models_match_the_migrations(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "render_item": render_migration_item},
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == []
