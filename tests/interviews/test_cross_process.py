"""The realtime relay across portal processes: two uvicorn processes share the PostgreSQL test database, the two
people of an interview room (and a presenter and a viewer) are connected to DIFFERENT processes, and signalling,
a large SDP offer and the Q&A still reach the other side (LISTEN/NOTIFY)."""
import asyncio
import json

import httpx
import pytest
import websockets
from sqlmodel import Session

from portal.presentations import service as presentations
from portal.settings import Settings
from tests.conftest import _postgres_engine, csrf_from
from tests.deploy.cluster import portal_cluster
from tests.factories import PASSWORD, make_graduate, make_interview, make_presentation

pytestmark = pytest.mark.postgres
# An SDP offer as chromium writes it is several kilobytes; this one is past PostgreSQL's 8000-byte NOTIFY limit.
BIG_SDP = "v=0\r\n" + "".join(f"a=rtpmap:{96 + i % 30} VP8/90000\r\na=rtcp-fb:{96 + i % 30} nack pli\r\n" for i in range(200))


def session_cookie(base_url: str, email: str) -> str:
    with httpx.Client(base_url=base_url, timeout=30) as http:
        token = csrf_from(http.get("/login").text)
        response = http.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 303, response.text
        return f"jinying_session={http.cookies['jinying_session']}"


def connect(base_url: str, path: str, cookie: str):
    return websockets.connect(base_url.replace("http://", "ws://") + path,
                              additional_headers={"Cookie": cookie, "Origin": base_url})


async def next_message(socket, kind: str) -> dict:
    while True:
        message = json.loads(await asyncio.wait_for(socket.recv(), timeout=15))
        if message["type"] == kind:
            return message


def test_rooms_and_questions_cross_between_two_portal_processes(tmp_path):
    engine = _postgres_engine()
    settings = Settings(data_dir=tmp_path / "data", _env_file=None)
    with Session(engine, expire_on_commit=False) as session:
        interview, graduate, recruiter = make_interview(session, settings=settings)
        presentation, presenter = make_presentation(session, settings=settings)
        viewer = make_graduate(session)
        presentations.register(session, settings=settings, user=viewer, presentation_id=presentation.id)
    url = engine.url.render_as_string(hide_password=False)
    with portal_cluster(tmp_path / "cluster", database_url=url, search_url=None) as cluster:
        first, second = cluster.process_url(0), cluster.process_url(1)
        cookies = {user.id: session_cookie(base, user.email) for user, base in
                   ((recruiter, first), (graduate, second), (presenter, first), (viewer, second))}

        async def talk() -> None:
            room = f"/interviews/{interview.id}/ws"
            async with connect(first, room, cookies[recruiter.id]) as caller, \
                    connect(second, room, cookies[graduate.id]) as callee:
                await callee.send(json.dumps({"type": "join"}))
                assert await next_message(caller, "join") == {"type": "join", "from": graduate.id}
                await caller.send(json.dumps({"type": "offer", "sdp": {"type": "offer", "sdp": BIG_SDP}}))
                offer = await next_message(callee, "offer")
                assert offer["sdp"]["sdp"] == BIG_SDP and offer["from"] == recruiter.id
            live = f"/presentations/{presentation.id}/ws"
            async with connect(first, live, cookies[presenter.id]) as stage, \
                    connect(second, live, cookies[viewer.id]) as seat:
                await seat.send(json.dumps({"type": "ask", "body": "跨进程的问题能到吗？"}))
                asked = await next_message(stage, "question")
                assert asked["body"] == "跨进程的问题能到吗？"
                await stage.send(json.dumps({"type": "reply", "id": asked["id"], "answer": "能"}))
                while (answered := await next_message(seat, "question"))["answer"] is None:
                    pass
                assert answered["answer"] == "能"

        asyncio.run(talk())
