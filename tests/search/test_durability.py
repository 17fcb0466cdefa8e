"""The index survives Elasticsearch crashing right after a rebuild, and drift is found and repaired on schedule.

The crash test runs on a private node (tests/private_services.py): it is killed with SIGKILL, never the shared one.
"""
import pytest
from sqlmodel import select

from portal.audit.models import AuditEntry
from portal.positions.models import Position
from search.backend import SearchUnavailable
from search.documents import load_docs
from search.elastic import ElasticBackend
from search.indexer import check, drift_check_job, reindex
from tests.factories import make_employer, make_graduate, make_position, make_resume
from tests.private_services import private_es_node  # noqa: F401  (fixture)
from tests.search.conftest import elastic_backend

pytestmark = pytest.mark.elasticsearch


def small_world(session, positions: int = 40, graduates: int = 8) -> None:
    organization, _ = make_employer(session)
    for n in range(positions):
        make_position(session, organization, title=f"后端开发工程师 {n}")
    for _ in range(graduates):
        make_resume(session, make_graduate(session))


@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_a_rebuilt_index_survives_kill_9_right_after_the_swap(session, private_es_node):
    small_world(session)
    search = ElasticBackend(private_es_node.url, prefix="crash", timeout=30)
    reindex(session, search)  # the index the rebuild replaces, so the old one is deleted after the swap
    reindex(session, search)

    private_es_node.kill()
    private_es_node.start()

    restarted = ElasticBackend(private_es_node.url, prefix="crash", timeout=30)
    for entity in ("position", "resume"):
        report = check(session, restarted, entity)
        assert report.clean, (entity, report)


def test_a_rebuild_refuses_to_swap_when_the_new_index_is_short(session):
    small_world(session, positions=5, graduates=1)
    search = elastic_backend()
    try:
        before = reindex(session, search)
        doc = load_docs(session, "position", [1])[1]
        with pytest.raises(SearchUnavailable, match="expected 2 documents"):
            search.reindex("position", [doc, doc])  # two sent, one held: the same id twice
        assert search.index_names("position") == [before["position"]]
        assert len(search.client.indices.get(index=f"{search.alias('position')}-v*")) == 1
    finally:
        search.drop_indexes()


def test_the_scheduled_check_repairs_drift_and_logs_the_repair(session, settings):
    small_world(session, positions=6, graduates=2)
    search = elastic_backend()
    try:
        reindex(session, search)
        lost = session.exec(select(Position.id)).first()
        search.delete("position", [lost], refresh=True)
        assert check(session, search, "position").missing == [lost]

        drift_check_job(session, settings=settings, search=search)

        search.refresh()
        assert check(session, search, "position").clean
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "search.drift_repaired")).one()
        assert entry.object_id == "position" and entry.detail["missing"] == [lost]
        drift_check_job(session, settings=settings, search=search)  # checked a moment ago: not due yet
        assert len(session.exec(select(AuditEntry).where(AuditEntry.action == "search.drift_checked")).all()) == 1
    finally:
        search.drop_indexes()
