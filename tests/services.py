"""Where the real test services are, for the suite's conftest.

``scripts/test`` starts a private PostgreSQL and Elasticsearch node and exports
``PORTAL_TEST_DATABASE_URL`` / ``PORTAL_TEST_SEARCH_URL``. When a variable is
missing (plain ``pytest`` on a laptop) the ``require_*`` helpers skip the test
with a reason -- except under CI (env ``CI`` set), where they fail it, so CI
never passes by silently skipping the real components.
"""

from __future__ import annotations

import atexit
import os
import shutil

import pytest

DATABASE_ENV = "PORTAL_TEST_DATABASE_URL"
SEARCH_ENV = "PORTAL_TEST_SEARCH_URL"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _missing(what: str) -> None:
    reason = f"{what} -- run the suite with scripts/test, which installs and starts it"
    if _in_ci():
        pytest.fail(f"CI must not skip real components: {reason}", pytrace=False)
    pytest.skip(reason)


def postgres_url() -> str | None:
    """SQLAlchemy URL (postgresql+psycopg://...) of the test database, or None."""
    return os.environ.get(DATABASE_ENV) or None


def elasticsearch_url() -> str | None:
    """Base URL (http://127.0.0.1:PORT) of the Elasticsearch 9 test node, or None."""
    return os.environ.get(SEARCH_ENV) or None


_run_database_url: str | None = None


def require_postgres() -> str:
    """This pytest run's own database on the test server, so runs sharing one server never see each other's rows."""
    global _run_database_url
    url = postgres_url()
    if not url:
        _missing(f"PostgreSQL not configured (${DATABASE_ENV} is unset)")
    if _run_database_url is None:
        _run_database_url = _create_run_database(url)  # type: ignore[arg-type]
    return _run_database_url


def _create_run_database(server_url: str) -> str:
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"portal_test_{os.getpid()}"
    admin_dsn = psycopg_dsn(server_url)
    with psycopg.connect(admin_dsn, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    atexit.register(_drop_database, admin_dsn, name)
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def _drop_database(admin_dsn: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_dsn, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def require_elasticsearch() -> str:
    url = elasticsearch_url()
    if not url:
        _missing(f"Elasticsearch not configured (${SEARCH_ENV} is unset)")
    return url  # type: ignore[return-value]


def chromium_path() -> str:
    """Path of Debian's chromium (for Playwright's executable_path)."""
    path = shutil.which("chromium")
    if not path:
        _missing("Debian's chromium is not installed (apt-get install chromium)")
    return path  # type: ignore[return-value]


# Flags Debian's chromium needs here: we run as root, without a GPU, offline.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def psycopg_dsn(url: str | None = None) -> str:
    """The PostgreSQL URL without SQLAlchemy's '+psycopg' driver suffix (for psycopg.connect)."""
    url = url or require_postgres()
    return url.replace("postgresql+psycopg://", "postgresql://", 1)
