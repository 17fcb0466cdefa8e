"""The `portal` command line."""
import os
from typing import Annotated

import typer
from sqlmodel import Session

from portal.events import register_listeners
from portal.settings import get_settings

app = typer.Typer(help="Jinying graduate employment portal", no_args_is_help=True)
db_app = typer.Typer(help="Database schema", no_args_is_help=True)
user_app = typer.Typer(help="Accounts", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")

from portal.agreements.cli import agreement_app, ca_app  # noqa: E402

app.add_typer(ca_app, name="ca")
app.add_typer(agreement_app, name="agreement")

from portal.ledger.cli import ledger_app  # noqa: E402

app.add_typer(ledger_app, name="ledger")

from search import cli as search_cli  # noqa: E402

app.add_typer(search_cli.app, name="search")

from portal.keys import keys_app  # noqa: E402

app.add_typer(keys_app, name="keys")


@app.callback()
def start() -> None:
    """Jinying graduate employment portal"""
    register_listeners()


def open_session() -> Session:
    from portal.db import make_engine

    return Session(make_engine(get_settings().resolved_database_url), expire_on_commit=False)


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Bring the database schema up to date."""
    from portal import migrate

    migrate.upgrade(get_settings().resolved_database_url, revision)
    typer.echo("database is at " + revision)


@db_app.command("revision")
def db_revision(message: Annotated[str, typer.Option("-m")]) -> None:
    """Write a migration for the difference between the models and the database."""
    from portal import migrate

    migrate.make_revision(get_settings().resolved_database_url, message)


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Option()],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
    name: Annotated[str, typer.Option()],
    role: Annotated[str, typer.Option(help="officer or admin")] = "officer",
    school: Annotated[list[str] | None, typer.Option(help="a school in the officer's scope; repeatable")] = None,
    district: Annotated[list[str] | None, typer.Option(help="a district in the officer's scope; repeatable")] = None,
    city_wide: Annotated[bool, typer.Option(help="scope covers the whole city")] = False,
) -> None:
    """Create an officer (or admin) with a scope of schools and/or districts."""
    from pydantic import ValidationError

    from portal import models  # noqa: F401
    from portal.accounts import service
    from portal.accounts.models import Role
    from portal.accounts.schemas import OfficerCreate
    from portal.errors import ServiceError

    if role not in (Role.officer, Role.admin):
        raise typer.BadParameter("role must be officer or admin")
    try:
        officer = OfficerCreate(
            email=email, password=password, display_name=name,
            schools=school or [], districts=district or [], city_wide=city_wide,
        )
        with open_session() as session:
            user = service.create_officer(session, officer=officer, role=Role(role))
    except (ValidationError, ServiceError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2)
    typer.echo(f"created {user.role} {user.email} (id {user.id})")


@user_app.command("set-password")
def user_set_password(
    email: Annotated[str, typer.Option()], password: Annotated[str, typer.Option(prompt=True, hide_input=True)]
) -> None:
    from portal import models  # noqa: F401
    from portal.accounts import service

    with open_session() as session:
        service.set_password(session, email=email, password=password)
    typer.echo("password set")


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    demo: Annotated[bool, typer.Option(help="migrate, load demo data if the database is empty, print demo logins")] = False,
    workers: Annotated[int | None, typer.Option(help="web processes (default: one per core)")] = None,
) -> None:
    """Run the portal."""
    import uvicorn

    from portal.settings import InsecureSecret, Settings, require_strong_secret, serving_environment

    try:
        started = require_strong_secret(get_settings(), host=host, demo=demo)
    except InsecureSecret as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2)
    # The worker processes read their settings afresh: a secret kept in the data directory reaches them this way.
    os.environ["PORTAL_SECRET_KEY"] = started.secret_key
    if environment := serving_environment(started, host=host, demo=demo):
        os.environ["PORTAL_ENVIRONMENT"] = environment
    get_settings.cache_clear()

    # What the scheduler sends outside any request (emails) links to where this server is served, unless configured.
    if Settings().base_url is None and host not in ("0.0.0.0", "::"):
        os.environ["PORTAL_BASE_URL"] = f"http://{host}:{port}"
    if demo:
        from portal import demo as demo_data
        from portal import migrate

        migrate.upgrade(get_settings().resolved_database_url)
        with open_session() as session:
            logins = demo_data.seed(session, settings=get_settings())
        typer.echo(demo_data.describe(logins, f"http://{host}:{port}"))
    # One process tops out below a core (the GIL), so the default is one per core the process may use.
    workers = workers or len(os.sched_getaffinity(0))
    uvicorn.run("portal.app:create_app", factory=True, host=host, port=port, workers=workers, proxy_headers=True)


@app.command()
def worker(interval: Annotated[float | None, typer.Option(help="seconds between rounds")] = None) -> None:
    """Run the scheduled jobs in a loop (search outbox, drift check, lapsed positions, ledger): the worker process."""
    import time
    from types import SimpleNamespace

    from portal import models  # noqa: F401
    from portal.db import make_engine
    from portal.scheduler import run_jobs_once
    from search.factory import build_backend

    settings = get_settings()
    engine = make_engine(settings.resolved_database_url)
    state = SimpleNamespace(settings=settings, engine=engine, search=build_backend(settings, engine))
    while True:
        run_jobs_once(state)
        time.sleep(interval or settings.scheduler_interval_seconds)


def main() -> None:
    app()
