"""Elasticsearch killed under the portal (a private node, never the shared one): applying, publishing and signing go
on, search degrades to the database with a notice, and the index catches up from the outbox once it is back."""
import uuid

import pytest
from fastapi.testclient import TestClient

from portal.app import create_app
from portal.agreements.models import AgreementStatus
from portal.positions import service as positions
from portal.positions.schemas import PositionCreate
from search.elastic import ElasticBackend
from search.indexer import drain_outbox, reindex
from tests.agreements.conftest import ca_settings, parties, sign_all  # noqa: F401  (fixtures)
from tests.conftest import api_token
from tests.factories import make_employer, make_graduate, make_officer, make_position, make_resume, position_data
from tests.private_services import private_es_node  # noqa: F401  (fixture)

pytestmark = [pytest.mark.elasticsearch, pytest.mark.parametrize("database", ["postgres"], indirect=True)]


def test_the_portal_works_through_a_search_outage_and_the_index_catches_up(
        private_es_node, session, engine, settings, parties):  # noqa: F811
    settings = settings.model_copy(update={"search_url": private_es_node.url,
                                           "search_index_prefix": f"outage-{uuid.uuid4().hex[:8]}"})
    graduate = make_graduate(session)
    make_resume(session, graduate)
    organization, recruiter = make_employer(session)
    position = make_position(session, organization, title="故障演练岗位")
    officer = make_officer(session, city_wide=True)
    elastic = ElasticBackend(private_es_node.url, prefix=settings.search_index_prefix)
    reindex(session, elastic)

    private_es_node.kill()
    with TestClient(create_app(settings, engine=engine, run_background_jobs=False)) as client:
        applied = client.post("/api/v1/applications", json={"position_id": position.id},
                              headers=api_token(client, graduate.email))
        assert applied.status_code == 201, applied.text
        draft = positions.create_position(session, user=recruiter, position=PositionCreate(**position_data(
            title="停机期间发布的岗位")))
        positions.submit_position(session, user=recruiter, position_id=draft.id)
        positions.approve_position(session, officer=officer, position_id=draft.id, settings=settings)
        assert sign_all(session, settings, *parties).status == AgreementStatus.signed

        results = client.get("/jobs", params={"q": "故障演练岗位"})
        assert results.status_code == 200 and "故障演练岗位" in results.text
        assert 'class="alert warn"' in results.text  # the degraded notice
        assert client.get("/readyz").json()["status"] == "degraded"

    private_es_node.start()
    report = drain_outbox(session, elastic, refresh=True)
    assert report.failed == 0 and report.entities.get("position", 0) >= 1
    indexed = elastic.indexed_hashes("position")
    assert {position.id, draft.id} <= set(indexed)
    elastic.drop_indexes()
