"""Shared fixtures: a real database (SQLite file and PostgreSQL), the app, HTTP clients per role."""
import re
import threading
from contextlib import contextmanager
import time

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, SQLModel

from portal import events, models  # noqa: F401
from portal.app import create_app
from portal.db import make_engine
from portal.settings import Settings
from tests.factories import PASSWORD
from tests.services import CHROMIUM_ARGS, chromium_path, require_postgres

_pg_engine = None


def _postgres_engine():
    """One engine and one schema per run; each test starts from empty tables."""
    global _pg_engine
    if _pg_engine is None:
        _pg_engine = make_engine(require_postgres())
        with _pg_engine.begin() as connection:
            SQLModel.metadata.drop_all(connection)
            SQLModel.metadata.create_all(connection)
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with _pg_engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return _pg_engine


@pytest.fixture(autouse=True, scope="session")
def domain_listeners():
    """The app and the command line register the domains' event listeners at start-up; so does the suite, for
    services tested without an app."""
    events.register_listeners()


@pytest.fixture(params=["sqlite", "postgres"])
def database(request, tmp_path):
    """(url, engine) of an empty database with the whole schema."""
    if request.param == "postgres":
        engine = _postgres_engine()
        yield engine.url.render_as_string(hide_password=False), engine
        return
    url = f"sqlite:///{tmp_path / 'portal.db'}"
    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
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
