"""Shared fixtures: a real database (SQLite file and PostgreSQL), the app, HTTP clients per role."""
import re
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
import time

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from portal import events, i18n, models  # noqa: F401
from portal.app import create_app
from portal.db import make_engine
from portal.settings import Settings
from tests.factories import PASSWORD
from tests.services import CHROMIUM_ARGS, chromium_path, require_postgres

_pg_engine = None


def _postgres_engine():
    """One engine and one schema per run; each test starts from empty tables with fresh ids."""
    global _pg_engine
    if _pg_engine is None:
        _pg_engine = make_engine(require_postgres())
        with _pg_engine.begin() as connection:
            SQLModel.metadata.drop_all(connection)
            SQLModel.metadata.create_all(connection)
    with _pg_engine.begin() as connection:
        _empty_tables(connection)
    return _pg_engine


def _empty_tables(connection) -> None:
    """Truncates only the tables a test wrote to and restarts only the sequences it drew from: truncating all of
    them (each a new file on disk, with its indexes) cost a fifth of a second per test."""
    tables = SQLModel.metadata.sorted_tables
    probe = " UNION ALL ".join(f"SELECT '{t.name}' WHERE EXISTS (SELECT FROM \"{t.name}\")" for t in tables)
    written = [name for (name,) in connection.execute(text(probe))]
    if written:
        connection.execute(text("TRUNCATE {} CASCADE".format(", ".join(f'"{name}"' for name in written))))
    drawn = connection.execute(text("SELECT format('%I.%I', schemaname, sequencename) FROM pg_sequences "
                                    "WHERE last_value IS NOT NULL")).scalars().all()
    for sequence in drawn:
        connection.execute(text(f"ALTER SEQUENCE {sequence} RESTART"))


def pytest_collection_modifyitems(items):
    """Under pytest-xdist (scripts/test runs --dist loadgroup) the tests sharing a module- or package-scoped fixture
    (a seeded demo, a private node, a cluster) run on one worker, so it is built once, not once per worker."""
    for item in items:
        group = _shared_fixture_group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


def _shared_fixture_group(item) -> str | None:
    module = item.nodeid.split("::")[0]
    packages = []
    modules = []
    for definitions in item._fixtureinfo.name2fixturedefs.values():
        scope = definitions[-1].scope
        if scope == "package":
            packages.append(definitions[-1].baseid)
        elif scope == "module":
            modules.append(module)
    return min(packages, key=len, default=None) or (modules[0] if modules else None)


@pytest.fixture(autouse=True, scope="session")
def domain_listeners():
    """The app and the command line register the domains' event listeners at start-up; so does the suite, for
    services tested without an app."""
    events.register_listeners()


@pytest.fixture(autouse=True)
def default_locale():
    """Each test starts in the portal's default language: a test or command that switched this thread to English
    (`portal agreement verify` does) must not change the words of whichever test runs next on the same worker."""
    i18n.set_locale(i18n.LOCALES[0])


@pytest.fixture(scope="session")
def sqlite_schema(tmp_path_factory) -> Path:
    """A SQLite file with the whole schema and no rows, built once: each test gets a copy (creating the schema took
    longer than most tests)."""
    path = tmp_path_factory.mktemp("schema") / "portal.db"
    engine = make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    return path


@pytest.fixture(params=["sqlite", "postgres"])
def database(request, tmp_path):
    """(url, engine) of an empty database with the whole schema."""
    if request.param == "postgres":
        engine = _postgres_engine()
        yield engine.url.render_as_string(hide_password=False), engine
        return
    path = tmp_path / "portal.db"
    shutil.copyfile(request.getfixturevalue("sqlite_schema"), path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    yield url, engine
    engine.dispose()


@pytest.fixture
def engine(database):
    return database[1]


@pytest.fixture
def settings(database, tmp_path) -> Settings:
    return Settings(
        environment="local",
        database_url=database[0],
        data_dir=tmp_path / "data",
        secret_key="test-secret-key",
        search_url=None,
        login_max_failures=5,
        _env_file=None,
    )


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def app(settings, engine):
    return create_app(settings, engine=engine, run_background_jobs=False)


@pytest.fixture
def client(app):
    with TestClient(app) as client:
        yield client


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def demo_database(data_dir: Path) -> tuple[Settings, Engine, list[tuple[str, str]]]:
    """The demo loaded into a SQLite database of its own (settings, engine, the demo's logins)."""
    from portal import demo

    settings = Settings(database_url=f"sqlite:///{data_dir / 'portal.db'}", data_dir=data_dir, search_url=None,
                        secret_key="test-secret-key", environment="local", _env_file=None)
    engine = make_engine(settings.resolved_database_url)
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        logins = demo.seed(session, settings=settings)
    return settings, engine, logins


def csrf_from(html: str) -> str:
    return _CSRF.search(html).group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> TestClient:
    """Signs a TestClient in through the real login form; its later requests carry the CSRF header."""
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    client.headers["X-CSRF-Token"] = csrf_from(client.get("/login").text)
    return client


@pytest.fixture
def client_for(app):
    """client_for(user) -> a fresh TestClient signed in as that user."""
    clients = []

    def make(user, password: str = PASSWORD) -> TestClient:
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return sign_in(client, user.email, password)

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def api_token(client: TestClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def live_server(app):
    """The app served by uvicorn on a free loopback port, for browsers and schemathesis: yields its base URL."""
    with serving(app) as base_url:
        yield base_url


@contextmanager
def serving(app):
    """Serves the app with uvicorn on a free loopback port while the block runs; gives its base URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def chromium():
    """Debian's chromium driven by Playwright (skipped with a reason when it is missing, failed under CI)."""
    with launched_chromium() as browser:
        yield browser


@contextmanager
def launched_chromium():
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
