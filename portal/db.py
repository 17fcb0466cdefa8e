"""Engines and sessions. The engine lives on the app, never in a module global."""
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import create_engine


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


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets the indexer and the web process read while one of them writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
