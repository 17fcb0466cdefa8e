"""Sync without loss: the outbox, Elasticsearch going away and coming back, rebuilds and drift."""
import pytest
from sqlmodel import select

from portal.employers.models import Recruiter
from portal.accounts.models import User
from portal.positions import service as positions
from search.elastic import ElasticBackend
from search.embedded import EmbeddedBackend
from search.factory import FallbackBackend
from search.indexer import check, drain_outbox, reindex, repair
from search.models import SearchOutbox
from search.outbox import enqueue
from search.schemas import PositionQuery
from tests.search.conftest import build_world, elastic_backend

CLOSED_PORT = "http://127.0.0.1:9"


@pytest.fixture
def elastic():
    backend = elastic_backend()
    yield backend
    backend.drop_indexes()


def recruiter_of(session, organization) -> User:
    user_id = session.exec(select(Recruiter.user_id).where(Recruiter.organization_id == organization.id)).first()
    return session.get(User, user_id)


def outbox(session):
    session.expire_all()
    return session.exec(select(SearchOutbox).order_by(SearchOutbox.id)).all()


def test_changes_reach_the_index_through_the_outbox(session, elastic):
    world = build_world(session)
    for p in world.positions.values():
        enqueue(session, "position", p.id)
    session.commit()
    report = drain_outbox(session, elastic, refresh=True)
    assert report.processed == len(world.positions) and report.error is None
    assert outbox(session) == []
    assert elastic.search_positions(PositionQuery()).total == 7
    # The positions service enqueues in its own transaction when an employer closes a position.
    backend = world.positions["backend"]
    positions.close_position(session, user=recruiter_of(session, world.orgs["soft"]), position_id=backend.id)
    assert [(r.entity, r.entity_id) for r in outbox(session)] == [("position", backend.id)]
    drain_outbox(session, elastic, refresh=True)
    assert backend.id not in [h.id for h in elastic.search_positions(PositionQuery(q="python")).hits]


def test_with_elasticsearch_down_nothing_is_lost_and_the_index_catches_up(session, elastic):
    world = build_world(session)
    down = ElasticBackend(CLOSED_PORT, prefix=elastic.prefix, timeout=2)
    for p in world.positions.values():
        enqueue(session, "position", p.id)
    session.commit()
    for attempt in (1, 2):
        report = drain_outbox(session, down)
        assert report.processed == 0 and report.error
    rows = outbox(session)
    assert len(rows) == len(world.positions)
    assert all(r.attempts == 2 and r.last_error for r in rows)
    report = drain_outbox(session, elastic, refresh=True)  # Elasticsearch is back
    assert report.processed == len(world.positions) and outbox(session) == []
    assert check(session, elastic, "position").clean


def test_reads_fall_back_to_the_embedded_backend_and_say_so(session, engine, elastic):
    build_world(session)
    search = FallbackBackend(ElasticBackend(CLOSED_PORT, prefix="nothing", timeout=2), EmbeddedBackend(engine))
    from search import service
    results = service.search_positions(search, query=PositionQuery(q="python"))
    assert results.degraded and results.backend == "embedded" and results.total == 3
    assert not service.search_positions(FallbackBackend(elastic, EmbeddedBackend(engine)), query=PositionQuery()).degraded


def test_degraded_search_page_says_so(session, engine, settings, tmp_path):
    from fastapi.testclient import TestClient
    from portal.app import create_app

    build_world(session)
    app = create_app(settings.model_copy(update={"search_url": CLOSED_PORT}), engine=engine, run_background_jobs=False)
    with TestClient(app) as client:
        html = client.get("/jobs", params={"q": "python"}).text
    assert "搜索服务暂时降级" in html and "<mark>Python</mark> 后端开发工程师" in html


def test_reindex_builds_a_new_index_and_swaps_the_alias(session, elastic):
    build_world(session)
    reindex(session, elastic)
    first = elastic.index_names("position")
    assert len(first) == 1
    reindex(session, elastic)
    second = elastic.index_names("position")
    assert len(second) == 1 and second != first
    assert not elastic.client.indices.exists(index=first[0])
    assert elastic.search_positions(PositionQuery()).total == 7
    assert second[0].startswith(f"{elastic.prefix}-positions-v")


def test_drift_reports_missing_stale_and_extra_documents_and_repairs_them(session, elastic):
    world = build_world(session)
    reindex(session, elastic)
    analyst, java = world.positions["analyst"], world.positions["java"]
    analyst.title = "高级数据分析师"  # changed without telling search
    session.add(analyst)
    session.commit()
    elastic.delete("position", [java.id], refresh=True)
    elastic.index("position", [{**elastic.client.get(index=elastic.alias("position"), id=analyst.id)["_source"],
                                "id": 99999}], refresh=True)
    report = check(session, elastic, "position")
    assert (report.missing, report.stale, report.extra) == ([java.id], [analyst.id], [99999])
    repair(session, elastic, report)
    elastic.refresh()
    assert check(session, elastic, "position").clean
    assert check(session, elastic, "resume").clean


def test_embedded_backend_drains_by_forgetting(session, engine):
    world = build_world(session)
    embedded = EmbeddedBackend(engine)
    assert embedded.search_positions(PositionQuery()).total == 7
    enqueue(session, "position", world.positions["java"].id)
    session.commit()
    assert drain_outbox(session, embedded).processed == 1 and outbox(session) == []


def test_first_write_creates_the_versioned_index_behind_the_alias(session):
    import uuid
    from tests.services import require_elasticsearch

    world = build_world(session)
    fresh = ElasticBackend(require_elasticsearch(), prefix=f"test-{uuid.uuid4().hex[:10]}")
    try:
        fresh.index("position", [], refresh=True)
        enqueue(session, "position", world.positions["java"].id)
        session.commit()
        assert drain_outbox(session, fresh, refresh=True).processed == 1
        names = fresh.index_names("position")
        assert len(names) == 1 and names[0] != fresh.alias("position")
        assert fresh.search_positions(PositionQuery()).total == 1
    finally:
        fresh.drop_indexes()


def test_a_resume_saved_through_the_resume_service_reaches_the_candidates(session, elastic):
    from portal.resumes import service as resumes
    from portal.resumes.schemas import ResumeUpdate
    from search.documents import position_doc

    world = build_world(session)
    reindex(session, elastic)
    sun = world.graduates["sun"]
    resumes.update_resume(session, user=sun, update=ResumeUpdate(
        headline="后端开发", skills=["Python", "SQL", "Linux"], expected_districts=["滨海新区"],
        expected_kinds=["full_time"]))
    assert [r.entity for r in outbox(session)] == ["resume"]
    assert drain_outbox(session, elastic, refresh=True).processed == 1
    doc = position_doc(world.positions["backend"], world.orgs["soft"])
    top = elastic.rank_candidates(doc, graduate_ids=[sun.id])[0]
    assert top.graduate_id == sun.id and top.reasons.matched_skills == ["Python", "SQL", "Linux"]
    assert check(session, elastic, "resume").clean
