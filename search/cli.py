"""`portal search ...`: rebuild the indexes, check them against the database, drain the outbox."""
from typing import Annotated

import typer

from search.documents import ENTITIES

app = typer.Typer(help="Search indexes (Elasticsearch or the embedded backend)", no_args_is_help=True)

EntityOption = Annotated[list[str] | None, typer.Option("--entity", "-e", help="position or resume (default: both)")]


def _context():
    from sqlmodel import Session

    from portal.db import make_engine
    from portal.settings import get_settings
    from search.factory import build_backend

    settings = get_settings()
    engine = make_engine(settings.resolved_database_url)
    return Session(engine, expire_on_commit=False), build_backend(settings, engine)


def _entities(entity: list[str] | None) -> tuple[str, ...]:
    chosen = tuple(entity or ENTITIES)
    for e in chosen:
        if e not in ENTITIES:
            raise typer.BadParameter(f"unknown entity {e!r}; use one of {', '.join(ENTITIES)}")
    return chosen


@app.command("reindex")
def reindex_command(entity: EntityOption = None) -> None:
    """Build fresh indexes from the database and swap the aliases to them (no downtime)."""
    from search.indexer import reindex

    session, search = _context()
    with session:
        names = reindex(session, search, _entities(entity))
    for e, name in names.items():
        typer.echo(f"{e}: {name}")


@app.command("check")
def check_command(entity: EntityOption = None,
                  repair: Annotated[bool, typer.Option(help="queue and re-send every drifted document")] = False,
                  ) -> None:
    """Report drift between the database and the index: missing, stale and extra documents. Exit 1 on drift."""
    from search.indexer import check, repair as repair_drift

    session, search = _context()
    drifted = False
    with session:
        for e in _entities(entity):
            report = check(session, search, e)
            typer.echo(f"{e}: missing={len(report.missing)} stale={len(report.stale)} extra={len(report.extra)}"
                       + ("" if report.clean else f"  e.g. missing={report.missing[:5]} stale={report.stale[:5]} "
                                                  f"extra={report.extra[:5]}"))
            if not report.clean:
                if repair:
                    result = repair_drift(session, search, report)
                    typer.echo(f"{e}: repaired {result.processed}, failed {result.failed}")
                    drifted = drifted or bool(result.failed)
                else:
                    drifted = True
    raise typer.Exit(1 if drifted else 0)


@app.command("drain")
def drain_command() -> None:
    """Send the queued changes (the search outbox) to the index now."""
    from search.indexer import drain_outbox

    session, search = _context()
    with session:
        report = drain_outbox(session, search)
    typer.echo(f"processed={report.processed} failed={report.failed}" + (f" error={report.error}" if report.error else ""))
    raise typer.Exit(1 if report.error else 0)


@app.command("status")
def status_command() -> None:
    """The engine's health and the outbox backlog."""
    from search.service import status

    session, search = _context()
    with session:
        for key, value in status(session, search).items():
            typer.echo(f"{key}: {value}")
