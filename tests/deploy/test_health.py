"""Probes: liveness never touches the database; readiness needs the database and reports search as degraded."""
from fastapi.testclient import TestClient

from portal.app import create_app
from portal.db import make_engine
from tests.private_services import free_port


def test_liveness_and_readiness_when_everything_answers(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "ready" and ready.json()["database"] == "ok"
    assert ready.headers["cache-control"] == "no-store"


def test_search_down_is_degraded_but_ready(settings, engine):
    settings = settings.model_copy(update={"search_url": f"http://127.0.0.1:{free_port()}"})
    with TestClient(create_app(settings, engine=engine, run_background_jobs=False)) as client:
        ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "degraded" and ready.json()["search"]["ok"] is False


def test_database_down_is_not_ready_but_alive(settings):
    engine = make_engine(f"postgresql+psycopg://portal:portal@127.0.0.1:{free_port()}/none?connect_timeout=2")
    with TestClient(create_app(settings, engine=engine, run_background_jobs=False)) as client:
        assert client.get("/healthz").status_code == 200
        ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["status"] == "unavailable" and ready.json()["database"].startswith("unavailable")
