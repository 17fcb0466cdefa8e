"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from portal import migrate
from portal.db import make_engine
from tests.services import require_postgres


def _schema_drift(url: str) -> list:
    engine = make_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        return compare_metadata(context, SQLModel.metadata)


def test_migrations_match_the_models_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    migrate.upgrade(url)
    assert _schema_drift(url) == []


def test_migrations_match_the_models_on_postgres():
    base_url = require_postgres()
    admin = make_engine(base_url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
        connection.execute(text("CREATE SCHEMA migration_check"))
    url = base_url + ("&" if "?" in base_url else "?") + "options=-csearch_path%3Dmigration_check"
    try:
        migrate.upgrade(url)
        assert _schema_drift(url) == []
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("DROP SCHEMA migration_check CASCADE"))
