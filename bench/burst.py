"""A burst start against one portal process: many signed-in users begin at the same instant.

    python bench/burst.py --clients 100 --rounds 10 --positions 20000 [--search-url http://127.0.0.1:59200]

It runs `uvicorn portal.app:create_app` (one worker) on a fresh PostgreSQL database (PORTAL_TEST_DATABASE_URL's
server), generates the positions with bench/datagen.py, signs in one graduate per client (an API token each),
then releases every client at once; each asks in turn for its home page, a search page, its JSON profile and an
unknown URL (whose error page looks up who is signed in). Printed as one JSON line: requests per second,
p50/p95/max latency, answers by status, requests that got no answer, and whether the process still answers
afterwards. The suite runs the same burst at small scale (tests/test_burst.py).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PATHS = ("/me", "/jobs?q=开发", "/api/v1/me", "/no-such-page/{n}")


@dataclass
class BurstReport:
    clients: int
    requests: int = 0
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)
    unanswered: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def figures(self) -> dict:
        ordered = sorted(self.latencies) or [0.0]
        return {
            "clients": self.clients, "requests": self.requests, "seconds": round(self.seconds, 2),
            "requests_per_second": round(self.requests / self.seconds, 1) if self.seconds else None,
            "p50_ms": round(ordered[len(ordered) // 2] * 1000), "p95_ms": round(ordered[int(len(ordered) * 0.95)] * 1000),
            "max_ms": round(ordered[-1] * 1000), "statuses": dict(sorted(self.statuses.items())),
            "unanswered": len(self.unanswered),
        }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def portal_process(env: dict[str, str]):
    """`uvicorn portal.app:create_app` with one worker and the given PORTAL_* settings; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "portal.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--workers", "1", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the portal did not start: {process.stderr.read()[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def burst(url: str, tokens: list[str], *, rounds: int, timeout: float) -> BurstReport:
    """Every client starts at the same moment and sends `rounds` requests one after another."""
    report = BurstReport(clients=len(tokens))

    async def client(n: int, token: str, start: asyncio.Event, http: httpx.AsyncClient) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        await start.wait()
        for i in range(rounds):
            path = PATHS[(n + i) % len(PATHS)].format(n=n)
            began = time.perf_counter()
            try:
                response = await http.get(f"{url}{path}", headers=headers, timeout=timeout)
            except httpx.HTTPError as error:
                report.unanswered.append(f"{path}: {type(error).__name__}")
                continue
            report.latencies.append(time.perf_counter() - began)
            report.statuses[response.status_code] += 1

    async def everyone() -> None:
        start = asyncio.Event()
        # Idle connections expire before uvicorn closes them (5 s), so a reused one is never half-closed.
        limits = httpx.Limits(max_connections=len(tokens) + 10, max_keepalive_connections=len(tokens) + 10,
                              keepalive_expiry=2.0)
        async with httpx.AsyncClient(limits=limits) as http:
            tasks = [asyncio.create_task(client(n, t, start, http)) for n, t in enumerate(tokens)]
            await asyncio.sleep(0.2)  # every client is waiting on the same event
            began = time.perf_counter()
            start.set()
            await asyncio.gather(*tasks)
            report.seconds = time.perf_counter() - began

    asyncio.run(everyone())
    report.requests = sum(report.statuses.values()) + len(report.unanswered)
    return report


def graduates_with_tokens(session, settings, count: int) -> list[str]:
    """`count` graduates with profiles, each signed in through an API token (one password hash for all)."""
    from portal.accounts import service as accounts
    from portal.accounts.models import GraduateProfile, Role, SignInKind, User
    from portal.security import hash_password

    password_hash = hash_password("burst-password-2026")
    users = [User(email=f"burst{n}@example.edu.cn", password_hash=password_hash, role=Role.graduate,
                  display_name=f"并发用户{n}") for n in range(count)]
    session.add_all(users)
    session.flush()
    session.add_all(GraduateProfile(user_id=u.id, school="南开大学", student_number=f"B{u.id:06d}", major="软件工程",
                                    degree="bachelor", graduation_year=2026) for u in users)
    session.commit()
    return [accounts.open_session(session, settings=settings, user=u, kind=SignInKind.api) for u in users]


def still_serving(url: str) -> bool:
    try:
        return httpx.get(f"{url}/login", timeout=10).status_code == 200
    except httpx.HTTPError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--positions", type=int, default=20000)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--request-threads", type=int, default=40)
    parser.add_argument("--database-url", default=os.environ.get("PORTAL_TEST_DATABASE_URL"))
    parser.add_argument("--search-url", default=os.environ.get("PORTAL_SEARCH_URL") or os.environ.get("PORTAL_TEST_SEARCH_URL"))
    args = parser.parse_args()
    if not args.database_url:
        sys.exit("set --database-url or PORTAL_TEST_DATABASE_URL (eval \"$(scripts/services env)\")")

    import psycopg
    from sqlalchemy.engine import make_url
    from sqlmodel import Session, SQLModel

    from bench.datagen import generate
    from portal import models  # noqa: F401
    from portal.db import make_engine
    from portal.settings import Settings
    from search.factory import build_backend
    from search.indexer import reindex

    name = f"portal_burst_{os.getpid()}"
    server = make_url(args.database_url)
    admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    database_url = server.set(database=name).render_as_string(hide_password=False)
    prefix = f"burst-{os.getpid()}"
    secret = "burst-bench-secret-" + os.urandom(16).hex()
    try:
        engine = make_engine(database_url)
        SQLModel.metadata.create_all(engine)
        settings = Settings(_env_file=None, environment="local", database_url=database_url, secret_key=secret,
                            search_url=args.search_url, search_index_prefix=prefix)
        with Session(engine, expire_on_commit=False) as session:
            generate(session, positions=args.positions, graduates=0)
            tokens = graduates_with_tokens(session, settings, args.clients)
            if args.search_url:
                reindex(session, build_backend(settings, engine))
        engine.dispose()
        env = {"PORTAL_ENVIRONMENT": "local", "PORTAL_DATABASE_URL": database_url, "PORTAL_SECRET_KEY": secret,
               "PORTAL_SEARCH_INDEX_PREFIX": prefix, "PORTAL_RUN_SCHEDULED_JOBS": "false",
               "PORTAL_REQUEST_THREADS": str(args.request_threads), "PORTAL_SEARCH_URL": args.search_url or ""}
        with portal_process(env) as url:
            report = burst(url, tokens, rounds=args.rounds, timeout=args.timeout)
            serving = still_serving(url)
        print(json.dumps({**report.figures(), "positions": args.positions, "search": "elasticsearch" if args.search_url
                          else "embedded", "still_serving": serving, "load_avg_1m": os.getloadavg()[0]},
                         ensure_ascii=False))
    finally:
        if args.search_url:
            httpx.delete(f"{args.search_url}/{prefix}-*", params={"expand_wildcards": "all"}, timeout=30)
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
