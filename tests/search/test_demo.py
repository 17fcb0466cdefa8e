"""What the demo promises of matching, checked on the demo itself through the JSON API, on both backends: searching
会计 finds only accounting posts, the graduate who asked for traineeships sees traineeships first, the graduate who
needs an accessible workplace sees only accessible ones, and the priority graduate's three offers fit."""
import uuid
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from portal import demo
from portal.accounts.service import get_user_by_email
from portal.app import create_app
from portal.ledger import service as ledger
from portal.ledger.demo import SUPPORTED_GRADUATE_EMAIL
from portal.ledger.models import LedgerCase, LedgerOffer
from portal.settings import Settings
from search import demo as matching_demo
from search.elastic import ElasticBackend
from search.indexer import reindex
from tests.conftest import demo_database
from tests.services import require_elasticsearch


@dataclass
class Demo:
    engine: Engine
    settings: Settings


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Demo:
    settings, engine, _ = demo_database(tmp_path_factory.mktemp("matching-demo"))
    yield Demo(engine, settings)
    engine.dispose()


@pytest.fixture(scope="module", params=["embedded", "elasticsearch"])
def api(request, seeded) -> TestClient:
    """The demo's portal on one backend (Elasticsearch: the demo's rows indexed under a throwaway prefix), whose
    answers must come from that backend (the portal falls back to the embedded one when Elasticsearch is down)."""
    settings = seeded.settings
    index = None
    if request.param == "elasticsearch":
        settings = seeded.settings.model_copy(update={"search_url": require_elasticsearch(),
                                                      "search_index_prefix": f"test-demo-{uuid.uuid4().hex[:8]}"})
        index = ElasticBackend(settings.search_url, prefix=settings.search_index_prefix)
        with Session(seeded.engine) as session:
            reindex(session, index)
    with TestClient(create_app(settings, engine=seeded.engine, run_background_jobs=False)) as client:
        client.backend = request.param
        yield client
    if index is not None:
        index.drop_indexes()


def recommendations(api: TestClient, email: str) -> list[dict]:
    token = api.post("/api/v1/auth/token", json={"email": email, "password": demo.DEMO_PASSWORD}).json()
    response = api.get("/api/v1/search/recommendations",
                       headers={"Authorization": f"Bearer {token['access_token']}"})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert (answer["backend"], answer["degraded"]) == (api.backend, False)
    return answer["items"]


def test_searching_kuaiji_finds_only_the_accounting_posts(api):
    results = api.get("/api/v1/search/positions", params={"q": "会计", "per_page": 50}).json()
    assert results["backend"] == api.backend
    hits = results["hits"]
    firm_titles = {p["title"] for p in matching_demo.FIRM_POSITIONS}
    assert {"会计助理", "会计见习生"} <= {h["title"] for h in hits}
    assert {h["title"] for h in hits} <= firm_titles, "a post outside accounting matched 会计"
    assert {h["org_name"] for h in hits} == {matching_demo.FIRM["name"]}


def test_the_graduate_asking_for_traineeships_sees_traineeships_first(api):
    items = recommendations(api, matching_demo.TRAINEESHIP_GRADUATE)
    kinds = [item["position"]["kind"] for item in items]
    assert kinds and kinds[0] == "traineeship"
    assert kinds == sorted(kinds, key=lambda kind: kind != "traineeship"), kinds
    assert all(item["reasons"]["other_kind"] for item in items if item["position"]["kind"] != "traineeship")


def test_the_graduate_who_needs_an_accessible_workplace_sees_only_accessible_ones(api):
    items = recommendations(api, matching_demo.ACCESSIBLE_GRADUATE)
    assert items and all(item["position"]["accessible"] for item in items), items
    assert "会计助理" in {item["position"]["title"] for item in items}


def test_the_priority_graduates_three_offers_fit_with_reasons_an_officer_would_accept(seeded):
    with Session(seeded.engine) as session:
        graduate = get_user_by_email(session, SUPPORTED_GRADUATE_EMAIL)
        case = session.exec(select(LedgerCase).where(LedgerCase.graduate_id == graduate.id)).one()
        offers = session.exec(select(LedgerOffer).where(LedgerOffer.case_id == case.id,
                                                        LedgerOffer.status.in_(("proposed", "offered")))).all()
    assert len(offers) == ledger.GUARANTEE
    for offer in offers:
        reasons = offer.reasons
        assert offer.fit >= ledger.DEFAULT_MIN_FIT
        assert reasons["matched_skills"], reasons
        assert reasons["title"] or reasons["field"] or reasons["major"] in ("match", "related"), reasons
        assert not reasons["long_shot"]
