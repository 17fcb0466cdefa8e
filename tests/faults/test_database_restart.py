"""PostgreSQL restarting under the portal (a private cluster, never the shared one): requests fail cleanly, a 503
problem for the API and a readable page for browsers, and the portal recovers by itself once it is back."""
import httpx
import pytest
from sqlmodel import Session, SQLModel

from portal.app import create_app
from portal.db import make_engine
from portal.settings import Settings
from tests.conftest import api_token, sign_in
from tests.factories import make_employer, make_graduate, make_position, make_resume
from tests.private_services import private_postgres

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def server():
    with private_postgres() as server:
        yield server


def test_requests_fail_cleanly_while_the_database_is_down_and_recover_after(server, tmp_path):
    from fastapi.testclient import TestClient

    engine = make_engine(server.url)
    SQLModel.metadata.create_all(engine)
    settings = Settings(database_url=server.url, data_dir=tmp_path, secret_key="test-secret-key-for-faults-0123456789",
                        _env_file=None)
    with Session(engine, expire_on_commit=False) as session:
        graduate = make_graduate(session)
        make_resume(session, graduate)
        organization, _ = make_employer(session)
        position = make_position(session, organization)
    with TestClient(create_app(settings, engine=engine, run_background_jobs=False)) as browser, \
            TestClient(create_app(settings, engine=engine, run_background_jobs=False)) as api:
        sign_in(browser, graduate.email)
        bearer = api_token(api, graduate.email)
        assert browser.get("/me").status_code == 200

        server.kill()
        page = browser.get("/me")
        assert page.status_code == 503 and "text/html" in page.headers["content-type"]
        assert "<html" in page.text
        answer = api.get("/api/v1/me/applications", headers=bearer)
        assert answer.status_code == 503 and answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["status"] == 503 and answer.headers["retry-after"]
        assert browser.get("/healthz").status_code == 200 and browser.get("/readyz").status_code == 503

        server.start()
        assert browser.get("/readyz").status_code == 200
        assert browser.get("/me").status_code == 200
        applied = api.post("/api/v1/applications", json={"position_id": position.id}, headers=bearer)
        assert applied.status_code == 201, applied.text
    engine.dispose()
