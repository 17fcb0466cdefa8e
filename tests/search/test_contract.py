"""One contract, every backend: the same cases run against the embedded backend and Elasticsearch."""
from datetime import timedelta

import pytest

from portal.clock import today, utcnow
from search.documents import graduate_doc, load_position_docs, position_doc
from search.schemas import PositionQuery
from tests.search.conftest import World

NOW = utcnow()


def ids(world: World, hits) -> list[str]:
    by_id = {p.id: k for k, p in world.positions.items()}
    return [by_id[h.id] for h in hits]


def recommend(backend, session, world, key, **kw):
    return backend.recommend_positions(graduate_doc(session, world.graduates[key].id), now=NOW, **kw)


def test_recommendations_rank_by_fit_and_skip_positions_that_are_not_open(backend, session, world):
    matches = recommend(backend, session, world, "li")
    keys = [k for k in ids(world, [m.position for m in matches])]
    assert keys[0] == "backend"
    assert not {"closed", "expired", "suspended"} & set(keys)
    assert "ml" not in keys  # needs a master's degree
    assert "accounting" not in keys  # shares no skill, major or title word with the graduate


def test_recommendations_carry_the_reasons_the_engine_matched(backend, session, world):
    top = recommend(backend, session, world, "li")[0]
    r = top.reasons
    assert r.matched_skills == ["Python", "SQL", "Linux"]
    assert r.missing_skills == []
    assert r.major == "match" and r.district and r.kind and r.salary
    assert "skills_all" in r.signals
    analyst = next(m for m in recommend(backend, session, world, "li") if m.position.id == world.positions["analyst"].id)
    assert analyst.reasons.matched_skills == ["SQL", "Python"]
    assert analyst.reasons.missing_skills == ["Excel", "Tableau"]
    assert analyst.reasons.major is None and not analyst.reasons.district


def test_position_fits_are_the_recommendations_ids_and_fits(backend, session, world):
    doc = graduate_doc(session, world.graduates["li"].id)
    matches = backend.recommend_positions(doc, limit=20, now=NOW)
    fits = backend.position_fits(doc, limit=20, now=NOW)
    assert fits == {m.position.id: m.fit for m in matches}
    assert list(fits) == [m.position.id for m in matches]
    assert any(0 < f < 100 for f in fits.values())


def test_many_recommendations_at_once_are_each_one_alone(backend, session, world):
    from search.backend import Recommendation
    from search.matching import Constraints

    docs = [graduate_doc(session, g.id) for g in world.graduates.values()]
    requests = [Recommendation(doc, 3, Constraints(min_fit=10)) for doc in docs] + [Recommendation(docs[0], 10)]
    alone = [backend.recommend_positions(r.graduate, limit=r.limit, now=NOW, constraints=r.constraints)
             for r in requests]
    assert backend.recommend_many(requests, now=NOW) == alone
    assert any(alone) and backend.recommend_many([]) == []


def test_skills_match_whatever_their_case(backend, session, world):
    top = recommend(backend, session, world, "zhao")[0]  # "python" on the résumé, "Python" on the position
    assert top.position.id == world.positions["analyst"].id
    assert "Python" in top.reasons.matched_skills


def test_a_master_sees_relevant_positions_requiring_less_and_no_post_for_a_generic_tool_alone(backend, session, world):
    matches = recommend(backend, session, world, "zhao", limit=20)
    keys = ids(world, [m.position for m in matches])
    assert keys[0] == "analyst" and matches[0].reasons.major == "match"
    assert "accounting" not in keys  # Excel is evidence inside a field, not a reason to propose an accounting post


def ops_minded(session, world) -> dict:
    """li, had she asked for operations work and known shell scripting (the ops traineeship is relevant to her)."""
    doc = graduate_doc(session, world.graduates["li"].id)
    return {**doc, "skills_norm": [*doc["skills_norm"], "shell"], "headline_concepts": ["ops_engineer"],
            "fields": ["ops"]}


def test_support_posts_are_reserved_for_the_ledger_and_needs_are_met(backend, session, world):
    doc = ops_minded(session, world)
    assert "ops" not in ids(world, [m.position for m in backend.recommend_positions(doc, now=NOW)])
    in_ledger = backend.recommend_positions({**doc, "in_ledger": True}, now=NOW)
    assert "ops" in ids(world, [m.position for m in in_ledger])
    sun = graduate_doc(session, world.graduates["sun"].id)
    needs = backend.recommend_positions({**sun, "needs_accessible": True}, now=NOW)
    assert ids(world, [m.position for m in needs]) == ["frontend"]


def test_the_kinds_asked_for_come_first_and_the_others_are_labelled(backend, session, world):
    doc = {**ops_minded(session, world), "in_ledger": True, "expected_kinds": ["traineeship"]}
    matches = backend.recommend_positions(doc, now=NOW)
    assert ids(world, [m.position for m in matches])[0] == "ops"
    assert matches[0].reasons.kind and not matches[0].reasons.other_kind
    assert all(m.reasons.other_kind for m in matches[1:])


def test_ranking_with_constraints_filters_excludes_and_asks_for_few(backend, session, world):
    from search.matching import Constraints

    doc = {**graduate_doc(session, world.graduates["li"].id), "in_ledger": True}
    p = world.positions
    within = backend.recommend_positions(doc, now=NOW, limit=1, constraints=Constraints(districts=("滨海新区",)))
    assert ids(world, [m.position for m in within]) == ["backend"]
    rest = backend.recommend_positions(doc, now=NOW, constraints=Constraints(
        districts=("滨海新区", "南开区"), exclude=(p["backend"].id,), min_fit=30))
    keys = ids(world, [m.position for m in rest])
    assert "backend" not in keys and keys and all(m.fit >= 30 for m in rest)
    assert all(k in ("java", "frontend", "ops") for k in keys)
    strict = backend.recommend_positions(doc, now=NOW, constraints=Constraints(min_fit=100))
    assert strict == []


def test_deep_pages_are_capped_not_refused(backend, world):
    result = search(backend, page=500, per_page=50)
    assert result.page == 200 and result.hits == [] and result.total == 7


def test_limit(backend, session, world):
    assert len(recommend(backend, session, world, "li", limit=2)) == 2


def test_candidates_rank_applicants_and_suggest_only_discoverable_graduates(backend, session, world):
    position = world.positions["backend"]
    doc = position_doc(position, world.orgs["soft"])
    g = world.graduates
    applicants = backend.rank_candidates(doc, graduate_ids=[g["sun"].id, g["li"].id, g["qian"].id], now=NOW)
    assert [c.graduate_id for c in applicants][:1] == [g["li"].id]
    assert g["qian"].id not in [c.graduate_id for c in applicants]  # associate < bachelor required
    assert all(c.applied for c in applicants)
    assert applicants[0].reasons.matched_skills == ["Python", "SQL", "Linux"]
    suggested = backend.rank_candidates(doc, graduate_ids=None, now=NOW)
    assert g["qian"].id not in [c.graduate_id for c in suggested]  # not discoverable (and under-qualified)
    assert {c.graduate_id for c in suggested} == {g["li"].id, g["zhao"].id, g["sun"].id}
    assert suggested[0].graduate_id == g["li"].id
    dumped = suggested[0].model_dump()
    assert not {"email", "phone", "student_number", "display_name"} & dumped.keys()


def test_no_applicants_no_candidates(backend, session, world):
    doc = position_doc(world.positions["java"], world.orgs["soft"])
    assert backend.rank_candidates(doc, graduate_ids=[], now=NOW) == []


def search(backend, **kw):
    return backend.search_positions(PositionQuery(**kw))


def test_search_finds_chinese_words_not_characters(backend, world):
    assert set(ids(world, search(backend, q="开发工程师").hits)) == {"backend", "java", "frontend"}
    result = search(backend, q="数据分析")
    assert ids(world, result.hits)[0] == "analyst"
    assert result.hits[0].highlights["title"] == ["<mark>数据分析师</mark>"]
    assert ids(world, search(backend, q="会计").hits) == ["accounting"]
    assert search(backend, q="计发").total == 0  # characters that appear, but in no word


def test_english_queries_find_chinese_postings_and_forgive_typos(backend, world):
    assert set(ids(world, search(backend, q="software engineer").hits)) == {"backend", "java", "frontend"}
    assert set(ids(world, search(backend, q="pyhton").hits)) == {"backend", "analyst", "ml"}
    hit = search(backend, q="accountant").hits[0]
    assert ids(world, [hit]) == ["accounting"] and hit.highlights["title"] == ["<mark>会计助理</mark>"]


def test_search_english_words_any_case(backend, world):
    keys = ids(world, search(backend, q="python").hits)
    assert set(keys) == {"backend", "analyst", "ml"}
    assert ids(world, search(backend, q="PYTHON linux").hits) == ["backend"]


def test_search_by_employer_name(backend, world):
    assert set(ids(world, search(backend, q="南开数据").hits)) == {"analyst", "ml"}


def test_filters_and_facets(backend, world):
    result = search(backend, district=["滨海新区"])
    assert set(ids(world, result.hits)) == {"backend", "ml", "ops"}
    kinds = {b.value: b.count for b in result.facets["kind"]}
    assert kinds == {"full_time": 2, "traineeship": 1}
    assert {b.value: b.count for b in result.facets["is_support"]} == {"false": 2, "true": 1}
    assert set(ids(world, search(backend, kind=["traineeship"]).hits)) == {"ops"}
    assert set(ids(world, search(backend, support_only=True).hits)) == {"ops"}
    assert "ml" not in ids(world, search(backend, degree="bachelor").hits)
    assert set(ids(world, search(backend, major="会计学").hits)) == {"accounting", "ml", "ops"}
    assert set(ids(world, search(backend, salary_min=14000).hits)) == {"java", "ml"}
    salary = {b.value: b.count for b in search(backend).facets["salary"]}
    assert salary["*-5000"] == 1 and salary["20000-*"] == 1
    soon = today() + timedelta(days=10)
    assert search(backend, deadline_before=soon).total == 0
    assert search(backend, deadline_after=soon).total == 7


def test_sorting_and_paging(backend, world):
    by_salary = ids(world, search(backend, sort="salary").hits)
    assert by_salary[:2] == ["ml", "java"]
    by_date = ids(world, search(backend, sort="date").hits)
    assert by_date == ["frontend", "ops", "ml", "accounting", "analyst", "java", "backend"]
    page2 = search(backend, sort="date", page=2, per_page=3)
    assert page2.total == 7 and ids(world, page2.hits) == ["accounting", "analyst", "java"]


def test_similar_positions(backend, world):
    similar = backend.similar_positions(world.positions["backend"].id)
    keys = ids(world, similar)
    assert {"ops", "analyst"} & set(keys[:3])  # they share skills
    assert "backend" not in keys and not {"closed", "expired", "suspended"} & set(keys)
    assert backend.similar_positions(world.positions["closed"].id) == []


def test_drift_is_clean_after_a_rebuild(backend, session, world):
    from search.indexer import check
    for entity in ("position", "resume"):
        assert check(session, backend, entity).clean


def test_the_index_holds_exactly_the_searchable_positions(backend, session, world):
    if not backend.keeps_index:
        pytest.skip("the embedded backend keeps no index of its own")
    assert set(backend.indexed_hashes("position")) == set(load_position_docs(session))
