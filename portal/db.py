"""Engines and sessions. The engine lives on the app, never in a module global."""
from pathlib import Path
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine, select

Row = TypeVar("Row", bound=SQLModel)


# Connections beyond the route threads: the scheduler's thread and a command or two.
SPARE_CONNECTIONS = 4
KEPT_CONNECTIONS = 10


def make_engine(url: str, *, request_threads: int = 40) -> Engine:
    """An engine whose pool covers every route thread, so a route never waits for a connection another holds."""
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=KEPT_CONNECTIONS,
                         max_overflow=max(0, request_threads + SPARE_CONNECTIONS - KEPT_CONNECTIONS))


def locked(session: Session, model: type[Row], row_id: int) -> Row:
    """The row read again under a row lock (SELECT ... FOR UPDATE, the session's copy refreshed) held until the
    transaction ends, so concurrent changes of one row are applied one after the other, each seeing what the one
    before left. Where several rows are locked, a parent is always locked before its children. SQLite ignores the
    lock: it lets one writer in at a time anyway."""
    return session.exec(
        select(model).where(model.id == row_id).with_for_update().execution_options(populate_existing=True)
    ).one()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets the indexer and the web process read while one of them writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
