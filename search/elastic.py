"""The Elasticsearch backend: explicit mappings, versioned indexes behind aliases, bulk writes, and the matching
model's plans translated to bool / constant_score / terms_set / function_score queries.

Uses only what the server itself ships (no analysis plugins, no scripts). Chinese words are segmented in Python
(search/text.py, jieba with the domain dictionary) and each searchable field is indexed twice: `<field>_terms`, the
segmented words, the words inside them and the concepts named, analysed by whitespace (what queries match), and
`<field>` with `text_analyzer` (phrases; `standard`, one token per Han character, unless a cluster has a Chinese
analysis plugin: see search/README.md). The keys the matching model compares (canonical skills, title concepts,
major classes) are computed in Python too and stored in keyword fields.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers

from search import matching as m
from search.backend import (
    Recommendation,
    SearchBackend,
    SearchUnavailable,
    candidate_match,
    fit,
    highlights,
    plan_tiers,
    position_hit,
    position_match,
    tier_signals,
)
from search.conditions import condition_fields, name_matcher
from search.documents import POSITION, RESUME, doc_id
from search.embedded import salary_bucket_key
from search.schemas import BulkReport, FacetBucket, Health, PositionHit, PositionMatch, PositionQuery, SearchResults
from search.text import query_units

MAPPING_VERSION = 4

_KW = {"type": "keyword"}
_INT = {"type": "integer"}
_LONG = {"type": "long"}
_BOOL = {"type": "boolean"}
_DATE = {"type": "date"}
_STORED = {"type": "keyword", "index": False, "doc_values": False}
_WORDS = {"type": "text", "analyzer": "whitespace", "norms": False, "index_options": "docs"}


def mappings(text_analyzer: str = "standard") -> dict:
    """The explicit, strict mappings. `text_analyzer` analyses the searchable fields' own text (phrases)."""
    text = {"type": "text", "analyzer": text_analyzer}
    searchable = {name: text for name in m.SEARCH_FIELDS} | {m.terms_field(name): _WORDS for name in m.SEARCH_FIELDS}
    return {
        POSITION: {
            "dynamic": "strict",
            "properties": {
                **searchable,
                "id": _LONG, "organization_id": _LONG,
                "title_concepts": _KW, "field": _KW,
                "kind": _KW, "district": _KW, "degree_required": _KW, "degree_rank": _INT,
                "majors": _KW, "major_classes": _KW, "major_disciplines": _KW, "major_families": _KW,
                "majors_open": _BOOL,
                "skills": _KW, "skills_norm": _KW, "skills_text_norm": _KW, "skills_text_spelled": _STORED,
                "skills_needed": _INT,
                "salary_min": _INT, "salary_max": _INT, "salary_mid": _INT,
                "deadline": _DATE, "published_at": _DATE,
                "is_support": _BOOL, "accessible": _BOOL, "status": _KW,
                "doc_hash": _STORED,
            },
        },
        RESUME: {
            "dynamic": "strict",
            "properties": {
                "resume_id": _LONG, "graduate_id": _LONG, "school": _KW, "major": _KW, "major_classes": _KW,
                "disciplines": _KW, "major_fields": _KW,
                "degree": _KW, "degree_rank": _INT, "graduation_year": _INT,
                "headline": text, "headline_concepts": _KW, "fields": _KW, "self_intro": text,
                "skills": _KW, "skills_norm": _KW, "skills_intro": _KW,
                "expected_districts": _KW, "expected_kinds": _KW,
                "expected_salary_min": _INT, "expected_salary_max": _INT, "expected_salary_mid": _INT,
                "discoverable": _BOOL, "needs_accessible": _BOOL, "updated_at": _DATE,
                "doc_hash": _STORED,
            },
        },
    }


MAPPINGS = mappings()
ALIAS_SUFFIX = {POSITION: "positions", RESUME: "resumes"}
# What a hit brings back: enough for a card and its reasons; the long text only when a search highlights it.
POSITION_SOURCE = [f for f in MAPPINGS[POSITION]["properties"]
                   if f not in ("description", "doc_hash") and not f.endswith("_terms")]
HIGHLIGHT_SOURCE = [*POSITION_SOURCE, "description", *(m.terms_field(f) for f in m.SEARCH_FIELDS)]


def _fast_json() -> dict:
    """orjson when it is installed (it roughly halves the client's share of bulk indexing time)."""
    try:
        from elastic_transport import OrjsonSerializer
    except ImportError:
        return {}
    return {"serializer": OrjsonSerializer()}


def _unavailable(error: Exception) -> Exception:
    """Unreachable, overloaded, or missing its index: the engine is unavailable (fall back, retry later). Any
    other refusal is a bug in the request and is raised as it is, rather than taking the engine out of service."""
    if isinstance(error, ApiError) and 400 <= error.meta.status < 500 and error.meta.status not in (404, 408, 429):
        return error
    return SearchUnavailable(f"{type(error).__name__}: {str(error)[:300]}")


class ElasticBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url: str, *, prefix: str = "jinying", client: Elasticsearch | None = None,
                 timeout: float = 10.0, text_analyzer: str = "standard") -> None:
        self.url = url
        self.prefix = prefix
        self.mappings = mappings(text_analyzer)
        self._ready = False
        self.client = client or Elasticsearch(url, request_timeout=timeout, max_retries=1, retry_on_timeout=False,
                                              **_fast_json())

    def alias(self, entity: str) -> str:
        return f"{self.prefix}-{ALIAS_SUFFIX[entity]}"

    def _new_index_name(self, entity: str) -> str:
        return f"{self.alias(entity)}-v{MAPPING_VERSION}-{datetime.now():%Y%m%d%H%M%S%f}"

    # ---- indexes -----------------------------------------------------------------------------------------------
    def _create_index(self, entity: str, *, bulk_load: bool = False) -> str:
        name = self._new_index_name(entity)
        settings: dict = {"number_of_shards": 1, "number_of_replicas": 0}
        if bulk_load:  # restored by reindex() before the alias moves
            settings.update({"refresh_interval": "-1", "translog.durability": "async"})
        self.client.indices.create(index=name, settings=settings, mappings=self.mappings[entity])
        return name

    def ensure_indexes(self) -> None:
        try:
            for entity in MAPPINGS:
                if not self.client.indices.exists_alias(name=self.alias(entity)):
                    name = self._create_index(entity)
                    self.client.indices.put_alias(index=name, name=self.alias(entity))
        except (TransportError, ApiError) as error:
            raise _unavailable(error) from error

    def drop_indexes(self) -> None:
        """Deletes every index of this prefix (tests and benchmarks)."""
        for entity in MAPPINGS:
            self.client.indices.delete(index=f"{self.alias(entity)}-v*", ignore_unavailable=True,
                                       allow_no_indices=True, expand_wildcards="all")

    def index_names(self, entity: str) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias(entity)).body)
        except NotFoundError:
            return []

    # ---- writing -----------------------------------------------------------------------------------------------
    def _bulk(self, actions: list[dict], refresh: bool, ignore_missing: bool = False) -> tuple[int, dict[int, str]]:
        if not actions:
            return 0, {}
        try:
            ok, errors = helpers.bulk(self.client, actions, raise_on_error=False, raise_on_exception=True,
                                      chunk_size=1000, refresh="wait_for" if refresh else False,
                                      stats_only=False, require_alias=True)
        except (TransportError, ApiError, helpers.BulkIndexError) as error:
            raise _unavailable(error) from error
        failed: dict[int, str] = {}
        for item in errors:
            (op, result), = item.items()
            if ignore_missing and op == "delete" and result.get("status") == 404:
                ok += 1
                continue
            failed[int(result.get("_id"))] = str(result.get("error") or result.get("status"))[:300]
        return ok, failed

    def _ensure_once(self) -> None:
        # Writing to a missing alias would make Elasticsearch create a plain index of that name with guessed
        # mappings; create the real indexes first (writes also pass require_alias).
        if not self._ready:
            self.ensure_indexes()
            self._ready = True

    def index(self, entity: str, docs: list[dict], *, refresh: bool = False) -> BulkReport:
        self._ensure_once()
        alias = self.alias(entity)
        actions = [{"_op_type": "index", "_index": alias, "_id": doc_id(entity, d), "_source": d} for d in docs]
        ok, failed = self._bulk(actions, refresh)
        return BulkReport(indexed=ok, failed=failed)

    def delete(self, entity: str, ids: Iterable[int], *, refresh: bool = False) -> BulkReport:
        self._ensure_once()
        alias = self.alias(entity)
        actions = [{"_op_type": "delete", "_index": alias, "_id": i} for i in ids]
        ok, failed = self._bulk(actions, refresh, ignore_missing=True)
        return BulkReport(deleted=ok, failed=failed)

    def reindex(self, entity: str, docs: Iterable[dict], *, chunk_size: int = 2000) -> str:
        """Loads a fresh index, makes it durable and checks it holds every document, then swaps the alias.

        The load runs with refreshes off and an async translog, whose last operations sit in memory until the
        next sync; a crash after the old index is gone would lose them. So durability goes back to per request
        and a flush commits the index to disk before the count is checked and the alias moves; only then is the
        old index deleted. A short index is deleted instead and the alias stays where it was.
        """
        alias = self.alias(entity)
        try:
            name = self._create_index(entity, bulk_load=True)
            try:
                sent = self._bulk_load(entity, name, docs, chunk_size)
                self._make_durable(name)
                held = self.client.count(index=name)["count"]
                if held != sent:
                    raise SearchUnavailable(f"reindex of {entity}: expected {sent} documents in {name}, found {held}")
            except BaseException:
                self.client.indices.delete(index=name, ignore_unavailable=True)
                raise
            old = self.index_names(entity)
            actions_alias = [{"remove": {"index": o, "alias": alias}} for o in old]
            actions_alias.append({"add": {"index": name, "alias": alias}})
            self.client.indices.update_aliases(actions=actions_alias)
            for o in old:
                self.client.indices.delete(index=o, ignore_unavailable=True)
            return name
        except (TransportError, ApiError) as error:
            raise _unavailable(error) from error

    def _bulk_load(self, entity: str, name: str, docs: Iterable[dict], chunk_size: int) -> int:
        sent = 0

        def actions():
            nonlocal sent
            for d in docs:
                sent += 1
                yield {"_op_type": "index", "_index": name, "_id": doc_id(entity, d), "_source": d}

        for ok, item in helpers.parallel_bulk(self.client, actions(), chunk_size=chunk_size, thread_count=2,
                                               raise_on_error=False):
            if not ok:
                raise SearchUnavailable(f"reindex failed on {item}")
        return sent

    def _make_durable(self, name: str) -> None:
        self.client.indices.put_settings(
            index=name, settings={"index": {"refresh_interval": None, "translog.durability": "request"}})
        self.client.indices.flush(index=name, wait_if_ongoing=True)
        self.client.indices.refresh(index=name)

    def indexed_hashes(self, entity: str) -> dict[int, str]:
        try:
            return {
                int(hit["_id"]): hit["_source"].get("doc_hash", "")
                for hit in helpers.scan(self.client, index=self.alias(entity), _source=["doc_hash"],
                                        query={"query": {"match_all": {}}}, size=2000)
            }
        except NotFoundError:
            return {}
        except (TransportError, ApiError) as error:
            raise _unavailable(error) from error

    def refresh(self) -> None:
        self.client.indices.refresh(index=",".join(self.alias(e) for e in MAPPINGS), ignore_unavailable=True)

    def health(self) -> Health:
        try:
            health = self.client.cluster.health(timeout="2s")
            status = health["status"]
            return Health(backend=self.name, ok=status in ("green", "yellow"), detail=f"cluster {status}")
        except (TransportError, ApiError) as error:
            return Health(backend=self.name, ok=False, detail=str(error)[:200])

    # ---- reading -----------------------------------------------------------------------------------------------
    def _search(self, entity: str, **body):
        try:
            return self.client.search(index=self.alias(entity), **body)
        except (TransportError, ApiError) as error:
            raise _unavailable(error) from error

    def search_positions(self, query: PositionQuery, *, today: date | None = None,
                         show_support: bool = True) -> SearchResults:
        plan = m.search_plan(query, today=today or m.default_today(), show_support=show_support)
        aggs = {f: {"terms": {"field": f, "size": 50}} for f in m.FACET_FIELDS}
        aggs["salary"] = {"range": {"field": "salary_max", "keyed": False, "ranges": [
            {k: v for k, v in (("from", low), ("to", high), ("key", salary_bucket_key(low, high))) if v is not None}
            for low, high in m.SALARY_BUCKETS]}}
        body = dict(
            query=plan_query(plan), sort=plan_sort(plan), from_=(query.page - 1) * query.per_page,
            size=query.per_page, aggs=aggs, track_total_hits=True,
            source=HIGHLIGHT_SOURCE if query.q else POSITION_SOURCE,
        )
        response = self._search(POSITION, **body)
        units = query_units(query.q)
        hits = [
            position_hit(h["_source"], score=h["_score"] if plan.by_score else None,
                         highlights=highlights(h["_source"], units))
            for h in response["hits"]["hits"]
        ]
        facets = {}
        for f in m.FACET_FIELDS:
            facets[f] = [FacetBucket(value=str(b.get("key_as_string", b["key"])), count=b["doc_count"])
                         for b in response["aggregations"][f]["buckets"]]
        facets["salary"] = [FacetBucket(value=b["key"], count=b["doc_count"])
                            for b in response["aggregations"]["salary"]["buckets"]]
        return SearchResults(total=response["hits"]["total"]["value"], page=query.page, per_page=query.per_page,
                             hits=hits, facets=facets, backend=self.name)

    def recommend_positions(self, graduate: dict, *, limit: int = 10, today: date | None = None,
                            now: datetime | None = None, constraints: m.Constraints | None = None):
        plan = m.recommendation_plan(graduate, today=today, now=now, constraints=constraints)
        return self._matches(plan, self._ranked(POSITION, plan, limit, POSITION_SOURCE))

    def recommend_many(self, requests: Sequence[Recommendation], *, today: date | None = None,
                       now: datetime | None = None) -> list[list[PositionMatch]]:
        """One multi-search for them all: one round trip, and the node runs the searches side by side."""
        if not requests:
            return []
        today, now = today or m.default_today(), now or m.default_now()
        plans = [m.recommendation_plan(r.graduate, today=today, now=now, constraints=r.constraints) for r in requests]
        searches: list[dict] = []
        for plan, request in zip(plans, requests):
            body = _ranked_body(plan, request.limit, POSITION_SOURCE)
            body["_source"] = body.pop("source")  # the body's own name for what search() takes as `source`
            searches += [{"index": self.alias(POSITION)}, body]
        try:
            responses = self.client.msearch(searches=searches)["responses"]
        except (TransportError, ApiError) as error:
            raise _unavailable(error) from error
        failed = next((r for r in responses if "error" in r), None)
        if failed is not None:
            raise SearchUnavailable(f"multi-search: {failed['error']}")
        return [self._matches(plan, _ranked_hits(plan, response["hits"]["hits"]))
                for plan, response in zip(plans, responses)]

    @staticmethod
    def _matches(plan: m.Plan, ranked) -> list[PositionMatch]:
        tiers = plan_tiers(plan)
        return [position_match(doc, score, names, tiers) for doc, score, names in ranked]

    def position_fits(self, graduate: dict, *, limit: int, today: date | None = None, now: datetime | None = None,
                      constraints: m.Constraints | None = None) -> dict[int, int]:
        plan = m.recommendation_plan(graduate, today=today, now=now, constraints=constraints)
        # A fit leaves the tiers out, so only their fields are needed besides the id.
        tiers = tier_signals(plan)
        fields = sorted({"id"}.union(*(condition_fields(s.condition) for s in tiers)))
        ranked = self._ranked(POSITION, plan, limit, fields, tiers)
        return {doc["id"]: fit(score, names) for doc, score, names in ranked}

    def _ranked(self, entity: str, plan: m.Plan, limit: int, source,
                named: list[m.Signal] | None = None) -> list[tuple[dict, float, list[str]]]:
        hits = self._search(entity, **_ranked_body(plan, limit, source))["hits"]["hits"]
        return _ranked_hits(plan, hits, named)

    def rank_candidates(self, position: dict, *, graduate_ids: list[int] | None, limit: int = 20,
                        now: datetime | None = None):
        if graduate_ids is not None and not graduate_ids:
            return []
        plan = m.candidate_plan(position, graduate_ids=graduate_ids, now=now or m.default_now())
        ranked = self._ranked(RESUME, plan, limit, {"excludes": ["self_intro", "doc_hash", "needs_accessible"]})
        applied = set(graduate_ids or ())
        tiers = plan_tiers(plan)
        return [candidate_match(doc, position, score, names, doc["graduate_id"] in applied, tiers)
                for doc, score, names in ranked]

    def similar_positions(self, position_id: int, *, limit: int = 5, today: date | None = None) -> list[PositionHit]:
        try:
            source = self.client.get(index=self.alias(POSITION), id=position_id)["_source"]
        except NotFoundError:
            return []
        except (TransportError, ApiError) as error:
            raise _unavailable(error) from error
        index_name = self.index_names(POSITION)[0]
        should = [
            {"more_like_this": {"fields": ["title", "description", "skills_text"],
                                "like": [{"_index": index_name, "_id": str(position_id)}],
                                "min_term_freq": 1, "min_doc_freq": 1, "max_query_terms": 40,
                                "minimum_should_match": "20%"}},
        ]
        if source.get("skills_norm"):
            should.append({"terms": {"skills_norm": source["skills_norm"], "boost": 3}})
        if source.get("title_terms"):
            should.append({"terms": {"title_terms": source["title_terms"].split(), "boost": 2}})
        query = {"bool": {
            "filter": [condition(c) for c in m.open_position_filters(today or m.default_today())],
            "must_not": [{"ids": {"values": [str(position_id)]}}],
            "should": should, "minimum_should_match": 1,
        }}
        response = self._search(POSITION, query=query, size=limit, source=POSITION_SOURCE,
                                sort=[{"_score": "desc"}, {"id": "desc"}], track_scores=True)
        return [position_hit(h["_source"], score=h["_score"]) for h in response["hits"]["hits"]]


# ---- plan -> query DSL ---------------------------------------------------------------------------------------------
def _ranked_body(plan: m.Plan, limit: int, source) -> dict:
    """The search for a plan's best `limit` documents, with `source` (the fields, or includes and excludes). The
    score comes back as the first sort value, and the signals a hit met are worked out from its source
    (_ranked_hits): asking Elasticsearch for either (track scores, named queries) costs a second pass over the
    hits."""
    body = dict(query=plan_query(plan), sort=plan_sort(plan), size=limit, track_scores=not plan.by_score,
                track_total_hits=False, source=source)
    if plan.min_score is not None:
        body["min_score"] = plan.min_score
    return body


def _ranked_hits(plan: m.Plan, hits: list[dict],
                 named: list[m.Signal] | None = None) -> list[tuple[dict, float, list[str]]]:
    """(source, score, names of the signals met: all of the plan's, or the `named` ones) of each hit."""
    names = name_matcher(plan, named)
    return [(h["_source"], h["sort"][0] if plan.by_score else h["_score"], names(h["_source"])) for h in hits]


def condition(c) -> dict:
    kind = type(c)
    if kind is m.Term:
        return {"term": {c.field: c.value}}
    if kind is m.Terms:
        return {"terms": {c.field: list(c.values)}}
    if kind is m.Range:
        bounds = {k: v for k, v in (("gte", c.gte), ("lte", c.lte)) if v is not None}
        return {"range": {c.field: bounds}}
    if kind is m.MinMatch:
        return {"bool": {"should": [{"term": {c.field: v}} for v in c.values], "minimum_should_match": c.minimum}}
    if kind is m.TermsSet:
        return {"terms_set": {c.field: {"terms": list(c.values), "minimum_should_match_field": c.minimum_field}}}
    if kind is m.Missing:
        return {"bool": {"must_not": [{"exists": {"field": c.field}}]}}
    if kind is m.MatchAll:
        return {"match_all": {}}
    if kind is m.AnyOf:
        return {"bool": {"should": [condition(x) for x in c.conditions], "minimum_should_match": 1}}
    if kind is m.Not:
        return {"bool": {"must_not": [condition(c.condition)]}}
    if kind is m.Phrase:
        return {"match_phrase": {c.field: c.text}}
    if kind is m.Units:
        if not c.units:
            return {"bool": {"must_not": [{"match_all": {}}]}}
        fields = [m.terms_field(f) for f in c.fields]
        return {"bool": {"filter": [
            {"bool": {"should": [{"terms": {f: list(unit)}} for f in fields], "minimum_should_match": 1}}
            for unit in c.units]}}
    raise TypeError(f"unknown condition {c!r}")


def points(s: m.Signal) -> dict:
    return {"constant_score": {"filter": condition(s.condition), "boost": s.weight}}


def plan_query(plan: m.Plan) -> dict:
    query: dict = {"bool": {"filter": [condition(c) for c in plan.filters]}}
    signals = plan.signals
    if plan.gate_min > 0:
        # The relevance signals score inside a function_score whose min_score drops the documents below the gate.
        relevance = {"bool": {"should": [points(s) for s in plan.gate], "minimum_should_match": 1}}
        query["bool"]["must"] = [{"function_score": {"query": relevance, "min_score": plan.gate_min}}]
    else:
        signals = plan.gate + plan.signals
    if signals:
        query["bool"]["should"] = [points(s) for s in signals]
    if not plan.decays:
        return query
    functions = []
    for d in plan.decays:
        spec: dict = {"origin": d.origin, "scale": d.scale, "offset": d.offset, "decay": d.decay}
        if d.is_date:
            spec.update(scale=f"{int(d.scale)}ms", offset=f"{int(d.offset)}ms")
        functions.append({d.function: {d.field: spec}, "weight": d.weight})
    return {"function_score": {"query": query, "functions": functions, "score_mode": "sum", "boost_mode": "sum"}}


def plan_sort(plan: m.Plan) -> list:
    sort: list = [{"_score": "desc"}] if plan.by_score else []
    sort += [{f: {"order": o, "missing": "_last"}} for f, o in plan.sort]
    return sort
