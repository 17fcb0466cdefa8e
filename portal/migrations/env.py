from alembic import context
from sqlmodel import SQLModel

from portal import models  # noqa: F401  (every table on the metadata)
from portal.db import make_engine
from portal.settings import get_settings

target_metadata = SQLModel.metadata


def run_migrations() -> None:
    url = context.config.get_main_option("sqlalchemy.url") or get_settings().resolved_database_url
    connectable = context.config.attributes.get("connection") or make_engine(url)
    if hasattr(connectable, "connect"):
        with connectable.connect() as connection:
            _run(connection)
    else:
        _run(connectable)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # batch operations work on PostgreSQL too, and SQLite needs them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
