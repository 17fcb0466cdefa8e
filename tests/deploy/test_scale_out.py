"""Two portal processes behind nginx, sharing PostgreSQL, Elasticsearch and the storage directory: one user whose
requests alternate between the processes keeps their session, CSRF token, uploads and notifications."""
import asyncio
import json
import time
import uuid

import httpx
import websockets
import pytest
from sqlmodel import Session

from search.elastic import ElasticBackend
from search.indexer import reindex
from tests.conftest import _postgres_engine, csrf_from
from tests.deploy.cluster import portal_cluster
from portal.settings import Settings
from tests.factories import (
    PASSWORD, make_application, make_employer, make_graduate, make_interview, make_position, make_resume,
)
from tests.resumes.test_resumes import real_pdf
from tests.services import require_elasticsearch

pytestmark = [pytest.mark.postgres, pytest.mark.elasticsearch]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The shared database and search index with one graduate and one published position."""
    engine = _postgres_engine()
    prefix = f"scaleout-{uuid.uuid4().hex[:8]}"
    search = ElasticBackend(require_elasticsearch(), prefix=prefix)
    with Session(engine, expire_on_commit=False) as session:
        graduate = make_graduate(session)
        make_resume(session, graduate)
        organization, recruiter = make_employer(session)
        position = make_position(session, organization, title="横向扩展测试岗位")
        applied = make_application(session, graduate, make_position(session, organization), settings=Settings(
            data_dir=tmp_path_factory.mktemp("data"), _env_file=None))
        reindex(session, search)
    yield {"engine": engine, "prefix": prefix, "graduate": graduate, "recruiter": recruiter, "position": position,
           "application": applied}
    search.drop_indexes()


@pytest.fixture(scope="module")
def cluster(world, tmp_path_factory):
    url = world["engine"].url.render_as_string(hide_password=False)
    with portal_cluster(tmp_path_factory.mktemp("cluster"), database_url=url, search_url=require_elasticsearch(),
                        search_index_prefix=world["prefix"]) as cluster:
        yield cluster


def sign_in(http: httpx.Client, email: str) -> str:
    token = csrf_from(http.get("/login").text)
    response = http.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303, response.text
    return csrf_from(http.get("/login").text)


def test_one_user_alternating_between_processes(cluster, world):
    position, graduate = world["position"], world["graduate"]
    with httpx.Client(base_url=cluster.url, timeout=30) as http:
        first_request = len(cluster.served_by())
        csrf = sign_in(http, graduate.email)
        http.headers["X-CSRF-Token"] = csrf

        pdf = real_pdf("跨进程上传")
        upload = http.post("/me/resume/pdf", files={"pdf": ("简历.pdf", pdf, "application/pdf")})
        assert upload.status_code == 303, upload.text
        assert http.get("/me/resume/pdf").content == pdf

        results = http.get("/jobs", params={"q": "横向扩展测试岗位"})
        assert results.status_code == 200 and "横向扩展测试岗位" in results.text

        unread = int(http.get("/notifications/badge").text.strip() or 0)
        applied = http.post("/applications", data={"position_id": position.id})
        assert applied.status_code == 303, applied.text
        application_url = applied.headers["location"].split("?")[0]
        assert http.get(application_url).status_code == 200

        assert int(http.get("/notifications/badge").text.strip()) == unread + 1
        notifications = http.get("/notifications")
        assert "横向扩展测试岗位" in notifications.text
        assert http.post("/notifications/read-all").status_code in (200, 303)
        assert http.get("/notifications/badge").text.strip() == ""

        forged = http.post("/me/resume/pdf/delete", headers={"X-CSRF-Token": "forged"})
        assert forged.status_code == 403
        assert http.get("/me/resume/pdf").content == pdf

        http.post("/logout")
        assert http.get("/me/resume/pdf").status_code in (303, 307, 401)

    served = cluster.served_by()[first_request:]
    ports = [port for *_, port in served]
    assert set(ports) == {str(p) for p in cluster.ports}
    assert all(a != b for a, b in zip(ports, ports[1:])), served


def test_a_stage_change_on_one_process_reaches_the_graduate_on_the_other(cluster, world):
    """The employer works through process 0, the graduate reads through process 1: the notification is shared."""
    with httpx.Client(base_url=cluster.process_url(0), timeout=30) as employer, \
            httpx.Client(base_url=cluster.process_url(1), timeout=30) as graduate:
        employer.headers["X-CSRF-Token"] = sign_in(employer, world["recruiter"].email)
        graduate.headers["X-CSRF-Token"] = sign_in(graduate, world["graduate"].email)
        application_id = world["application"].id
        before = int(graduate.get("/notifications/badge").text.strip() or 0)
        moved = employer.post(f"/employer/applications/{application_id}/stage", data={"status": "interview"})
        assert moved.status_code in (200, 303), moved.text
        assert int(graduate.get("/notifications/badge").text.strip()) == before + 1



def test_an_interview_room_through_nginx_spans_both_processes(cluster, world, tmp_path):
    """The two people of a video interview reach different processes through nginx's WebSocket proxying; the relay
    (PostgreSQL LISTEN/NOTIFY) carries their signalling across."""
    with Session(world["engine"], expire_on_commit=False) as session:
        interview, graduate, recruiter = make_interview(session, settings=Settings(data_dir=tmp_path, _env_file=None))
    cookies = {}
    for user in (recruiter, graduate):
        with httpx.Client(base_url=cluster.url, timeout=30) as http:
            sign_in(http, user.email)
            cookies[user.id] = f"jinying_session={http.cookies['jinying_session']}"
    room = cluster.url.replace("http://", "ws://") + f"/interviews/{interview.id}/ws"

    def connect(user):
        return websockets.connect(room, additional_headers={"Cookie": cookies[user.id], "Origin": cluster.url})

    async def talk() -> dict:
        async with connect(recruiter) as caller, connect(graduate) as callee:
            await callee.send(json.dumps({"type": "join"}))
            while True:
                message = json.loads(await asyncio.wait_for(caller.recv(), timeout=15))
                if message["type"] == "join":
                    return message

    assert asyncio.run(talk()) == {"type": "join", "from": graduate.id}
    deadline = time.monotonic() + 10
    while len(sockets := [port for _, path, status, port in cluster.served_by()  # logged once a socket closes
                          if path.endswith("/ws") and status == "101"]) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert set(sockets[-2:]) == {str(p) for p in cluster.ports}
