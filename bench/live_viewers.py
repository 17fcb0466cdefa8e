"""How many viewers of a live presentation one portal process carries.

    eval "$(scripts/services env)"; python bench/live_viewers.py --viewers 100 300 600 1000

The media path is WebRTC from the presenter's browser to each viewer's browser: the portal relays only the
negotiation (a few messages per viewer) and the Q&A over its WebSocket, through PostgreSQL LISTEN/NOTIFY. So what one
process has to carry is the viewers' open sockets, their joins reaching the presenter, and every question and answer
fanned out to every viewer. For each audience size this runs one `uvicorn portal.app:create_app` process (one worker)
on a fresh PostgreSQL database, opens one presenter socket and N viewer sockets (API tokens, this site's Origin),
and prints one JSON line: seconds to open the N sockets, sockets refused, seconds until the presenter has heard all
N joins, the fan-out latency of a question to every viewer (p50 and max of several), and the process's memory.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.burst import graduates_with_tokens, portal_process  # noqa: E402

QUESTIONS = 5


def rss_megabytes(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def server_pid(port: int) -> int:
    """The uvicorn process serving on the port."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            words = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"uvicorn" in words and str(port).encode() in words:
            return int(cmdline.parent.name)
    raise RuntimeError(f"no portal process on port {port}")


def presentation_with_audience(session, settings, viewers: int) -> tuple[int, str, list[str]]:
    """An approved presentation on now, its presenter's API token, and `viewers` registered graduates' tokens."""
    from datetime import timedelta

    from sqlmodel import select

    from portal.accounts import service as accounts
    from portal.accounts.models import Role, SignInKind, User
    from portal.clock import utcnow
    from portal.employers.models import Organization, Recruiter
    from portal.presentations.models import Presentation, PresentationRegistration

    organization = Organization(name="天津直播测试有限公司", uscc="BENCH0000000000001", contact_name="王经理",
                                contact_phone="13800138000", contact_email="live@example.com",
                                industry="information_technology", size="50-199", district="滨海新区", status="verified")
    session.add(organization)
    session.flush()
    presenter = accounts.create_user(session, email="presenter@example.com", password="live-bench-2026",
                                     role=Role.employer, display_name="宣讲人")
    session.add(Recruiter(user_id=presenter.id, organization_id=organization.id, is_owner=True))
    presentation = Presentation(organization_id=organization.id, presenter_id=presenter.id, topic="容量测试宣讲",
                                starts_at=utcnow() - timedelta(minutes=5), duration_minutes=120, status="approved")
    session.add(presentation)
    session.commit()
    tokens = graduates_with_tokens(session, settings, viewers)
    graduate_ids = session.exec(select(User.id).where(User.role == Role.graduate)).all()
    session.add_all(PresentationRegistration(presentation_id=presentation.id, graduate_id=g) for g in graduate_ids)
    session.commit()
    presenter_token = accounts.open_session(session, settings=settings, user=presenter, kind=SignInKind.api)
    return presentation.id, presenter_token, tokens


async def measure(url: str, presentation_id: int, presenter_token: str, tokens: list[str]) -> dict:
    ws_url = url.replace("http://", "ws://") + f"/presentations/{presentation_id}/ws"

    def open_socket(token: str):
        return websockets.connect(ws_url, additional_headers={"Authorization": f"Bearer {token}", "Origin": url},
                                  open_timeout=60, max_queue=None)

    stage = await open_socket(presenter_token)
    began = time.perf_counter()
    opened = await asyncio.gather(*(open_socket(t) for t in tokens), return_exceptions=True)
    seats = [s for s in opened if not isinstance(s, BaseException)]
    connect_seconds = time.perf_counter() - began

    began = time.perf_counter()
    await asyncio.gather(*(seat.send(json.dumps({"type": "join"})) for seat in seats))
    joins = 0
    while joins < len(seats):
        message = json.loads(await asyncio.wait_for(stage.recv(), timeout=60))
        joins += message["type"] == "join"
    joins_seconds = time.perf_counter() - began

    async def heard(socket, body: str) -> float:
        while True:
            message = json.loads(await asyncio.wait_for(socket.recv(), timeout=60))
            if message.get("type") == "question" and message.get("body") == body:
                return time.perf_counter()

    fan_out = []
    for n in range(QUESTIONS):
        body = f"问题 {n}：实习期多久？"
        waiting = [asyncio.create_task(heard(seat, body)) for seat in seats]
        began = time.perf_counter()
        await seats[n % len(seats)].send(json.dumps({"type": "ask", "body": body}))
        arrivals = await asyncio.gather(*waiting)
        fan_out.append(max(arrivals) - began)
    for socket in (stage, *seats):
        await socket.close()
    fan_out.sort()
    return {
        "viewers": len(tokens), "connected": len(seats), "refused": len(tokens) - len(seats),
        "connect_seconds": round(connect_seconds, 2), "all_joins_at_presenter_seconds": round(joins_seconds, 2),
        "question_to_every_viewer_ms_p50": round(fan_out[len(fan_out) // 2] * 1000),
        "question_to_every_viewer_ms_max": round(fan_out[-1] * 1000),
    }


@contextmanager
def audience_database(database_server: str, viewers: int):
    """A fresh PostgreSQL database with a presentation on now and its audience; yields (PORTAL_* environment,
    presentation id, presenter's API token, viewers' API tokens) and drops the database afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url
    from sqlmodel import Session, SQLModel

    from portal import models  # noqa: F401
    from portal.db import make_engine
    from portal.settings import Settings

    name = f"portal_live_{os.getpid()}_{viewers}"
    server = make_url(database_server)
    admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    database_url = server.set(database=name).render_as_string(hide_password=False)
    secret = "live-bench-secret-" + os.urandom(16).hex()
    try:
        engine = make_engine(database_url)
        SQLModel.metadata.create_all(engine)
        settings = Settings(_env_file=None, environment="local", database_url=database_url, secret_key=secret)
        with Session(engine, expire_on_commit=False) as session:
            presentation_id, presenter_token, tokens = presentation_with_audience(session, settings, viewers)
        engine.dispose()
        env = {"PORTAL_ENVIRONMENT": "local", "PORTAL_DATABASE_URL": database_url, "PORTAL_SECRET_KEY": secret,
               "PORTAL_RUN_SCHEDULED_JOBS": "false"}
        yield env, presentation_id, presenter_token, tokens
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(database_server: str, viewers: int) -> dict:
    with audience_database(database_server, viewers) as (env, presentation_id, presenter_token, tokens):
        with portal_process(env) as url:
            pid = server_pid(int(url.rsplit(":", 1)[1]))
            idle = rss_megabytes(pid)
            figures = asyncio.run(measure(url, presentation_id, presenter_token, tokens))
            figures.update(process_rss_mb_idle=idle, process_rss_mb_after=rss_megabytes(pid))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, nargs="+", default=[100, 300, 600, 1000])
    parser.add_argument("--database-url", default=os.environ.get("PORTAL_TEST_DATABASE_URL"))
    args = parser.parse_args()
    if not args.database_url:
        sys.exit("set --database-url or PORTAL_TEST_DATABASE_URL (eval \"$(scripts/services env)\")")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # two sockets per viewer, here and in the server
    for viewers in args.viewers:
        print(json.dumps(run(args.database_url, viewers), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
