"""Runs calls at the same moment in threads, each with its own database session, as concurrent requests would."""
import threading
from collections.abc import Callable

import pytest
from sqlmodel import Session


def require_row_locks(engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("races are decided by PostgreSQL's row locks; SQLite lets one writer in at a time anyway")


def run_together(engine, calls: list[Callable[[Session], object]]) -> list[object]:
    """Each call's result, or the exception it raised, in the order given."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index: int, call) -> None:
        with Session(engine, expire_on_commit=False) as session:
            barrier.wait()
            try:
                outcomes[index] = call(session)
            except Exception as error:  # the test looks at which calls lost
                session.rollback()
                outcomes[index] = error

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes
