"""Both backends, one world: the same top results in the same order, with the same scores and reasons."""
import pytest

from portal.clock import utcnow
from search.documents import graduate_doc, position_doc
from search.embedded import EmbeddedBackend
from search.indexer import reindex
from search.schemas import PositionQuery
from tests.search.conftest import build_world, elastic_backend

NOW = utcnow()
QUERIES = [
    {}, {"q": "开发工程师"}, {"q": "python"}, {"q": "数据分析"}, {"q": "Linux", "district": ["滨海新区"]},
    {"sort": "salary"}, {"sort": "deadline"}, {"major": "软件工程", "degree": "bachelor"}, {"q": "会计", "sort": "date"},
    {"salary_min": 9000, "kind": ["full_time"]},
]


@pytest.fixture
def both(session, engine):
    world = build_world(session)
    elastic = elastic_backend()
    reindex(session, elastic)
    yield world, EmbeddedBackend(engine), elastic
    elastic.drop_indexes()


def summary(matches):
    return [(m.position.id, round(m.score, 3), m.reasons) for m in matches]


def test_recommendations_agree(session, both):
    world, embedded, elastic = both
    for graduate in world.graduates.values():
        doc = graduate_doc(session, graduate.id)
        assert summary(embedded.recommend_positions(doc, now=NOW)) == summary(elastic.recommend_positions(doc, now=NOW))


def test_candidates_agree(session, both):
    world, embedded, elastic = both
    everyone = [g.id for g in world.graduates.values()]
    for key, position in world.positions.items():
        doc = position_doc(position, session.get(type(world.orgs["soft"]), position.organization_id))
        for ids in (everyone, None):
            a = embedded.rank_candidates(doc, graduate_ids=ids, now=NOW)
            b = elastic.rank_candidates(doc, graduate_ids=ids, now=NOW)
            assert [(c.graduate_id, round(c.score, 3), c.reasons) for c in a] == \
                   [(c.graduate_id, round(c.score, 3), c.reasons) for c in b], key


@pytest.mark.parametrize("params", QUERIES, ids=[str(q) for q in QUERIES])
def test_search_agrees(both, params):
    _, embedded, elastic = both
    a = embedded.search_positions(PositionQuery(**params))
    b = elastic.search_positions(PositionQuery(**params))
    assert a.total == b.total
    assert [(h.id, h.score) for h in a.hits] == [(h.id, h.score) for h in b.hits]
    for field in a.facets:
        assert {x.value: x.count for x in a.facets[field] if x.count} == \
               {x.value: x.count for x in b.facets[field] if x.count}, field
    for ha, hb in zip(a.hits, b.hits):
        assert set(ha.highlights) == set(hb.highlights)
