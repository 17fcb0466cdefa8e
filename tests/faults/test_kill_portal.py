"""kill -9 of one portal process in the middle of a burst of applications (two processes behind nginx): clients
retry with their Idempotency-Key, and no application answered with success is lost, none is made twice."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlmodel import Session, select

from portal.applications.models import Application
from tests.conftest import _postgres_engine
from tests.deploy.cluster import portal_cluster
from tests.factories import PASSWORD, make_employer, make_graduate, make_position, make_resume

pytestmark = pytest.mark.postgres
GRADUATES, POSITIONS_EACH = 16, 3
RETRY_FOR_SECONDS = 90


@pytest.fixture(scope="module")
def world():
    engine = _postgres_engine()
    with Session(engine, expire_on_commit=False) as session:
        organization, _ = make_employer(session)
        positions = [make_position(session, organization, headcount=50) for _ in range(POSITIONS_EACH)]
        graduates = []
        for _ in range(GRADUATES):
            graduate = make_graduate(session)
            make_resume(session, graduate)
            graduates.append(graduate)
    return engine, graduates, positions


def apply_until_answered(http: httpx.Client, token: str, graduate_id: int, position_id: int) -> tuple[str, int | None]:
    """A careful client: the same key on every attempt; retries what may not have been carried out."""
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": f"apply-{graduate_id}-{position_id}"}
    deadline = time.monotonic() + RETRY_FOR_SECONDS
    while time.monotonic() < deadline:
        try:
            response = http.post("/api/v1/applications", json={"position_id": position_id}, headers=headers)
        except httpx.TransportError:
            time.sleep(0.2)
            continue
        if response.status_code == 201:
            return "created", response.json()["id"]
        if response.status_code in (502, 503, 504) or "retry-after" in response.headers:
            time.sleep(0.2)
            continue
        if response.status_code == 409 and response.json()["type"].endswith("#answer_lost"):
            mine = http.get("/api/v1/me/applications", headers=headers).json()
            return "created", next(a["id"] for a in mine if a["position_id"] == position_id)
        return f"{response.status_code}: {response.text[:200]}", None
    return "no answer", None


def test_killing_a_process_mid_burst_loses_and_duplicates_nothing(world, tmp_path):
    engine, graduates, positions = world
    url = engine.url.render_as_string(hide_password=False)
    with portal_cluster(tmp_path, database_url=url, search_url=None,
                                idempotency_answer_lost_seconds=3) as cluster, \
            httpx.Client(base_url=cluster.url, timeout=30) as http:
        tokens = {g.id: http.post("/api/v1/auth/token", json={"email": g.email, "password": PASSWORD}).json()["access_token"]
                  for g in graduates}
        attempts = [(g.id, p.id) for g in graduates for p in positions]
        answered = []
        killed = threading.Event()

        def one(attempt):
            outcome = apply_until_answered(http, tokens[attempt[0]], *attempt)
            answered.append(outcome)
            if len(answered) >= len(attempts) // 4 and not killed.is_set():
                killed.set()
                cluster.kill(0)
            return attempt, outcome

        with ThreadPoolExecutor(max_workers=12) as pool:
            outcomes = dict(pool.map(one, attempts))
        assert killed.is_set()
        cluster.start_process(0)
        assert httpx.get(f"{cluster.process_url(0)}/readyz", timeout=10).status_code == 200

    assert all(status == "created" for status, _ in outcomes.values()), outcomes
    with Session(engine) as session:
        rows = session.exec(select(Application)).all()
    stored = {(a.graduate_id, a.position_id): a.id for a in rows}
    assert len(rows) == len(stored) == len(attempts)
    assert all(stored[attempt] == application_id for attempt, (_, application_id) in outcomes.items())
